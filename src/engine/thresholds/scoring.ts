/** NAB cost matrix of one application profile (profiles.json). */
export interface NabProfile {
  tpWeight: number;
  fpWeight: number;
  fnWeight: number;
}

export interface NabFileScore {
  raw: number;
  /** Score of a detector that never alerts: every window missed. */
  null: number;
  /** Score of a detector that alerts at the first row of every window and nowhere else. */
  perfect: number;
  truePositives: number;
  falsePositives: number;
  missedWindows: number;
}

/** NAB's scaled sigmoid: +0.987 at the start of a window, 0 at its end, towards −1 after it. */
export function scaledSigmoid(relativePosition: number): number {
  return relativePosition > 3 ? -1 : 2 / (1 + Math.exp(5 * relativePosition)) - 1;
}

/**
 * Scores detections (alert starts, given as row times) on one data file the way NAB v1.1 does:
 * rows before `probationRows` are ignored; in each window only the earliest detection counts, with
 * tpWeight·scaledSigmoid(−(rows to the window's end + 1) / window rows); a detection outside
 * windows costs fpWeight, scaled by the sigmoid of its distance past the preceding window
 * (in that window's rows − 1) or fully when no window precedes it; a missed window costs fnWeight.
 */
export function nabFileScore(
  timestampsSeconds: readonly number[],
  detectionsSeconds: readonly number[],
  windowsSeconds: ReadonlyArray<readonly [number, number]>,
  probationRows: number,
  profile: NabProfile
): NabFileScore {
  const windows = windowsSeconds.map(([from, to]) => {
    const left = timestampsSeconds.findIndex((t) => t >= from);
    let right = left;
    while (right + 1 < timestampsSeconds.length && timestampsSeconds[right + 1] <= to) {
      right++;
    }
    return { left, right, width: right - left + 1 };
  });
  const detected = new Set(detectionsSeconds);
  const best: Array<number | undefined> = windows.map(() => undefined);
  let falsePositiveScore = 0;
  let falsePositives = 0;
  for (let i = probationRows; i < timestampsSeconds.length; i++) {
    if (!detected.has(timestampsSeconds[i])) {
      continue;
    }
    const w = windows.findIndex((win) => win.left >= 0 && win.left <= i && i <= win.right);
    if (w >= 0) {
      const { right, width } = windows[w];
      const score = profile.tpWeight * scaledSigmoid(-(right - i + 1) / width);
      best[w] = Math.max(best[w] ?? Number.NEGATIVE_INFINITY, score);
      continue;
    }
    const preceding = windows.filter((win) => win.left >= 0 && win.right < i).pop();
    const unweighted =
      preceding === undefined ? -1 : scaledSigmoid((i - preceding.right) / Math.max(1, preceding.width - 1));
    falsePositiveScore += profile.fpWeight * unweighted;
    falsePositives++;
  }
  const truePositiveScore = best.reduce<number>((acc, b) => acc + (b ?? 0), 0);
  const missedWindows = best.filter((b) => b === undefined).length;
  return {
    raw: truePositiveScore + falsePositiveScore - profile.fnWeight * missedWindows,
    null: -profile.fnWeight * windows.length,
    perfect: windows.length * profile.tpWeight * scaledSigmoid(-1),
    truePositives: windows.length - missedWindows,
    falsePositives,
    missedWindows,
  };
}

/**
 * Per-row anomaly labels (Donut, the AIOps KPI sets) as NAB windows, by NAB's own rule: 10 % of the file's rows are
 * shared equally among its anomalies (here each run of labelled rows), each window centred on one and at least
 * covering it; overlapping windows merge. Rows [from, to], inclusive.
 */
export function nabWindowsFromLabels(labels: readonly boolean[]): Array<[number, number]> {
  const runs: Array<[number, number]> = [];
  labels.forEach((label, i) => {
    if (label && (i === 0 || !labels[i - 1])) {
      runs.push([i, i]);
    }
    if (label) {
      runs[runs.length - 1][1] = i;
    }
  });
  const half = Math.floor((0.1 * labels.length) / Math.max(1, runs.length) / 2);
  const windows: Array<[number, number]> = [];
  for (const [first, last] of runs) {
    const centre = Math.floor((first + last) / 2);
    const from = Math.max(0, Math.min(first, centre - half));
    const to = Math.min(labels.length - 1, Math.max(last, centre + half));
    const previous = windows[windows.length - 1];
    if (previous && from <= previous[1]) {
      previous[1] = Math.max(previous[1], to);
    } else {
      windows.push([from, to]);
    }
  }
  return windows;
}

/** NAB's normalised score over a corpus: 100·(raw − null)/(perfect − null), each summed over files. */
export function nabNormalisedScore(files: readonly NabFileScore[]): number {
  const total = (key: 'raw' | 'null' | 'perfect') => files.reduce((acc, f) => acc + f[key], 0);
  const span = total('perfect') - total('null');
  return span === 0 ? 0 : (100 * (total('raw') - total('null'))) / span;
}

export interface F1Score {
  precision: number;
  recall: number;
  f1: number;
}

/**
 * Point-adjusted F1 (Xu et al., Donut, WWW'18): when any point of a labelled anomaly segment is
 * flagged, every point of the segment counts as detected; then precision and recall over points.
 */
export function pointAdjustedF1(predicted: readonly boolean[], labels: readonly boolean[]): F1Score {
  const adjusted = [...predicted];
  let k = 0;
  while (k < labels.length) {
    if (!labels[k]) {
      k++;
      continue;
    }
    const start = k;
    while (k < labels.length && labels[k]) {
      k++;
    }
    if (predicted.slice(start, k).some(Boolean)) {
      adjusted.fill(true, start, k);
    }
  }
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (let i = 0; i < labels.length; i++) {
    tp += adjusted[i] && labels[i] ? 1 : 0;
    fp += adjusted[i] && !labels[i] ? 1 : 0;
    fn += !adjusted[i] && labels[i] ? 1 : 0;
  }
  const precision = tp + fp === 0 ? 0 : tp / (tp + fp);
  const recall = tp + fn === 0 ? 0 : tp / (tp + fn);
  return { precision, recall, f1: precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall) };
}
