/**
 * The fragmentation analyses the worker runs: one view of the state at the newest instant, or FGD at each instant of
 * `overTime`. Pure (no Grafana, no DOM), so it runs in the worker, in jest, and wherever no Worker exists. States and
 * workloads are plain data: they cross to the worker by structured clone.
 */
import type { TaskType } from '../../engine/fragmentation';
import type { FleetState } from '../../prometheus/fleetState';
import {
  defragOf,
  gridOf,
  jobsFitOf,
  overTimePointOf,
  summaryOf,
  type DefragAnswer,
  type FragmentationSummary,
  type GridRow,
  type JobFitRow,
  type OverTimePoint,
} from './fragmentationAnalysis';

export type SnapshotView = 'summary' | 'grid' | 'jobsFit' | 'defragPlan';

export type FragmentationTask =
  | { kind: SnapshotView; state: FleetState; workload?: TaskType[] }
  /** States already filtered; the workload is the one learnt before the newest state. */
  | { kind: 'overTime'; states: FleetState[]; workload: TaskType[] };

export type FragmentationOutcome =
  | { kind: 'summary'; summary: FragmentationSummary }
  | { kind: 'grid'; rows: GridRow[] }
  | { kind: 'jobsFit'; rows: JobFitRow[] }
  | { kind: 'defragPlan'; answer: DefragAnswer }
  | { kind: 'overTime'; points: OverTimePoint[] };

export function runFragmentationTask(task: FragmentationTask): FragmentationOutcome {
  switch (task.kind) {
    case 'summary':
      return { kind: 'summary', summary: summaryOf(task.state, task.workload) };
    case 'grid':
      return { kind: 'grid', rows: gridOf(task.state, task.workload) };
    case 'jobsFit':
      return { kind: 'jobsFit', rows: jobsFitOf(task.state, task.workload) };
    case 'defragPlan':
      return { kind: 'defragPlan', answer: defragOf(task.state, task.workload) };
    case 'overTime':
      return { kind: 'overTime', points: task.states.map((state) => overTimePointOf(state, task.workload)) };
  }
}
