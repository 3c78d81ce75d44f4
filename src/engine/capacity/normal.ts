/**
 * The standard normal distribution, for turning forecast interval bounds into probabilities. Both functions are
 * accurate to about 1e-9 absolute, far below the precision of any forecast interval.
 */

/** Φ(z) = erfc(−z/√2) / 2. */
export function normalCdf(z: number): number {
  if (Number.isNaN(z)) {
    return NaN;
  }
  return 0.5 * erfc(-z / Math.SQRT2);
}

/**
 * erfc via its continued fraction for large |x| and the Maclaurin series of erf for small |x|; both converge to
 * double precision in the ranges used.
 */
function erfc(x: number): number {
  if (x < 0) {
    return 2 - erfc(-x);
  }
  if (x < 2.5) {
    // erf(x) = 2/√π Σ (−1)^n x^(2n+1) / (n! (2n+1)); 60 terms are plenty for x < 2.5.
    let term = x;
    let sum = x;
    for (let n = 1; n < 60; n++) {
      term *= (-x * x) / n;
      sum += term / (2 * n + 1);
    }
    return 1 - (2 / Math.sqrt(Math.PI)) * sum;
  }
  // erfc(x) = e^(−x²)/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + 2/(x + …))))), evaluated from the tail.
  let fraction = x;
  for (let k = 60; k >= 1; k--) {
    fraction = x + k / 2 / fraction;
  }
  return Math.exp(-x * x) / Math.sqrt(Math.PI) / fraction;
}

/**
 * Φ⁻¹(p): Acklam's rational approximation (relative error 1.15e-9) followed by one Newton step on Φ, which makes
 * the result as accurate as Φ itself.
 */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) {
    return p === 0 ? Number.NEGATIVE_INFINITY : p === 1 ? Number.POSITIVE_INFINITY : NaN;
  }
  const a = [
    -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239,
  ];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [
    -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968,
    2.938163982698783,
  ];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const low = 0.02425;
  let z: number;
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    z =
      (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
      ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  } else if (p <= 1 - low) {
    const q = p - 0.5;
    const r = q * q;
    z =
      ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) /
      (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
  } else {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    z =
      -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
      ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  const density = Math.exp((-z * z) / 2) / Math.sqrt(2 * Math.PI);
  return z - (normalCdf(z) - p) / density;
}
