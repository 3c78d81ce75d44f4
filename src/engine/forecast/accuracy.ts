/** Forecast accuracy measures as docs/formulas.md defines them; NaN when the denominator is zero. */

export function wape(actual: readonly number[], forecast: readonly number[]): number {
  let absError = 0;
  let absActual = 0;
  actual.forEach((y, i) => {
    absError += Math.abs(y - forecast[i]);
    absActual += Math.abs(y);
  });
  return absActual === 0 ? NaN : absError / absActual;
}

/** In-sample mean absolute error of the seasonal-naive forecast (y[t] predicted by y[t − season]). */
export function seasonalNaiveMae(history: readonly number[], seasonSteps: number): number {
  let sum = 0;
  for (let t = seasonSteps; t < history.length; t++) {
    sum += Math.abs(history[t] - history[t - seasonSteps]);
  }
  return history.length > seasonSteps ? sum / (history.length - seasonSteps) : NaN;
}

export function mase(actual: readonly number[], forecast: readonly number[], scale: number): number {
  const mae = actual.reduce((s, y, i) => s + Math.abs(y - forecast[i]), 0) / actual.length;
  return scale > 0 ? mae / scale : NaN;
}

/** (max forecast − max actual) / max actual over the horizon. */
export function peakError(actual: readonly number[], forecast: readonly number[]): number {
  const peak = Math.max(...actual);
  return peak === 0 ? NaN : (Math.max(...forecast) - peak) / peak;
}

export function coverage(actual: readonly number[], lower: readonly number[], upper: readonly number[]): number {
  const inside = actual.filter((y, i) => y >= lower[i] && y <= upper[i]).length;
  return inside / actual.length;
}
