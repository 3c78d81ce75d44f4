/**
 * The efficiency analyses the worker runs: waste over every pod's activity series, and the DCGM MFU estimate per pod.
 * Pure (no Grafana, no DOM), so it runs in the worker, in jest, and wherever no Worker exists.
 */
import {
  analyseWaste,
  dcgmMfuEstimate,
  EfficiencyInputError,
  MAX_SM_CLOCK_MHZ,
  type PodUtilisation,
  type WasteOptions,
  type WasteReport,
} from '../../engine/efficiency';
import type { PodTensorSeries } from '../../prometheus/podActivity';

export type EfficiencyTask =
  | { kind: 'waste'; pods: PodUtilisation[]; options: WasteOptions }
  | { kind: 'mfu'; pods: PodTensorSeries[]; observedMaxSmClockMhz: Record<string, number> };

export interface PodMfu {
  pod: string;
  namespace: string;
  gpuModel: string;
  /** Mean of tensor activity × SM clock / max SM clock: an estimate, not the model-FLOPs MFU. */
  mfuEstimate: number;
  meanTensorActive: number;
  samples: number;
  maxSmClockMhz?: number;
}

export type EfficiencyOutcome =
  { kind: 'waste'; report: WasteReport } | { kind: 'mfu'; pods: PodMfu[]; warnings: string[] };

export function runEfficiencyTask(task: EfficiencyTask): EfficiencyOutcome {
  if (task.kind === 'waste') {
    return { kind: 'waste', report: analyseWaste(task.pods, task.options) };
  }
  return estimateMfu(task.pods, task.observedMaxSmClockMhz);
}

function mean(values: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) {
    sum += values[i];
  }
  return values.length > 0 ? sum / values.length : NaN;
}

function estimateMfu(
  pods: PodTensorSeries[],
  observedMaxSmClockMhz: Record<string, number>
): EfficiencyOutcome & { kind: 'mfu' } {
  const warnings: string[] = [];
  const observedMaxUsed = new Set<string>();
  const skipped: string[] = [];
  const rows: PodMfu[] = [];
  for (const pod of pods) {
    if (pod.tensorActiveRatio.length === 0) {
      continue;
    }
    const base = {
      pod: pod.pod,
      namespace: pod.namespace,
      gpuModel: pod.gpuModel,
      meanTensorActive: mean(pod.tensorActiveRatio),
      samples: pod.tensorActiveRatio.length,
    };
    if (!pod.smClockMhz) {
      rows.push({ ...base, mfuEstimate: base.meanTensorActive });
      continue;
    }
    const datasheet = MAX_SM_CLOCK_MHZ[pod.gpuModel];
    const observed = observedMaxSmClockMhz[pod.gpuModel] ?? Math.max(...pod.smClockMhz);
    if (datasheet === undefined) {
      observedMaxUsed.add(pod.gpuModel || '(unknown model)');
    }
    // A clock above the datasheet maximum means the table does not fit this GPU: the observed maximum is safer.
    const maxSmClockMhz = Math.max(datasheet ?? 0, observed);
    try {
      const estimate = dcgmMfuEstimate({
        tensorActiveRatio: pod.tensorActiveRatio,
        smClockMhz: pod.smClockMhz,
        maxSmClockMhz,
      });
      rows.push({ ...base, mfuEstimate: estimate.mfuEstimate, maxSmClockMhz });
    } catch (error) {
      if (!(error instanceof EfficiencyInputError)) {
        throw error;
      }
      skipped.push(`${pod.pod} (${error.message})`);
    }
  }
  if (observedMaxUsed.size > 0) {
    warnings.push(
      `No datasheet maximum SM clock for ${[...observedMaxUsed].sort().join(', ')}: the highest clock seen in the ` +
        'range stands in, so the estimate reads high if those GPUs never boosted'
    );
  }
  if (skipped.length > 0) {
    warnings.push(`${skipped.length} pod(s) left out of the MFU estimate: ${skipped.slice(0, 3).join('; ')}`);
  }
  return { kind: 'mfu', pods: rows.sort((a, b) => b.mfuEstimate - a.mfuEstimate), warnings };
}

/** The analysis in this process, after a turn of the event loop: for the backend, and where no Worker exists. */
export function runEfficiencyInPlace(task: EfficiencyTask): Promise<EfficiencyOutcome> {
  return Promise.resolve().then(() => runEfficiencyTask(task));
}
