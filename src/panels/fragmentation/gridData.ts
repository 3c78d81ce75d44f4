/**
 * Reads the frames of a Headroom `fragmentation` query (views `grid` and `jobsFit`) into what the panel draws.
 * Frames are found by name, fields by name, so a panel fed by a transformation still works.
 */
import type { DataFrame, Field } from '@grafana/data';
import {
  FRAGMENTATION_FRAMES,
  GRID_FIELDS,
  JOB_KINDS,
  JOBS_FIT_FIELDS,
  parseMigInstances,
} from '../../datasource/fragmentation/fragmentationFrames';

export type CellState = 'free' | 'allocated' | 'shared' | 'mig';

export interface GridCell {
  node: string;
  gpuModel: string;
  gpu: number;
  state: CellState;
  freeMilli: number;
  pods: string;
  migInstances: Array<{ profile: string; holders: string[] }>;
}

export interface GridNode {
  name: string;
  gpuModel: string;
  cells: GridCell[];
  fragmentedGpus: number | null;
}

export interface GangFit {
  job: string;
  /** GPUs of the gang, read from the job's name, so the legend can name it in the user's language. */
  gpus?: number;
  fitNow: number;
}

export interface FragmentationPanelData {
  nodes: GridNode[];
  gpuCount: number;
  /** The "1/2/4/8-GPU job" rows of the jobsFit view, when the panel got it. */
  gangs: GangFit[];
}

const field = (frame: DataFrame, name: string): Field | undefined => frame.fields.find((f) => f.name === name);
const values = <T>(frame: DataFrame, name: string, fallback: T): T[] =>
  (field(frame, name)?.values as T[] | undefined) ?? Array.from({ length: frame.length }, () => fallback);

/** The frames name a gang row `<k>-GPU job` (frames/fragmentation/fragmentationAnalysis.ts, `jobsFitOf`). */
const GANG_JOB = /^(\d+)-GPU job$/;

const STATES: Record<string, CellState> = { free: 'free', allocated: 'allocated', shared: 'shared', MIG: 'mig' };

/** Undefined when there is no grid frame: the panel was given something else. */
export function readFragmentationFrames(frames: DataFrame[]): FragmentationPanelData | undefined {
  const grid = frames.find((f) => f.name === FRAGMENTATION_FRAMES.grid && field(f, GRID_FIELDS.node));
  if (!grid) {
    return undefined;
  }
  const nodeNames = values<string>(grid, GRID_FIELDS.node, '');
  const models = values<string>(grid, GRID_FIELDS.gpuModel, '');
  const gpus = values<number>(grid, GRID_FIELDS.gpu, 0);
  const states = values<string>(grid, GRID_FIELDS.state, 'allocated');
  const free = values<number | null>(grid, GRID_FIELDS.free, 0);
  const pods = values<string>(grid, GRID_FIELDS.pods, '');
  const mig = values<string>(grid, GRID_FIELDS.mig, '');
  const fragmented = values<number | null>(grid, GRID_FIELDS.nodeFragmented, null);
  const nodes = new Map<string, GridNode>();
  for (let i = 0; i < nodeNames.length; i++) {
    const name = nodeNames[i];
    let node = nodes.get(name);
    if (!node) {
      node = { name, gpuModel: models[i], cells: [], fragmentedGpus: fragmented[i] ?? null };
      nodes.set(name, node);
    } else if (!node.gpuModel.split(', ').includes(models[i])) {
      node.gpuModel = `${node.gpuModel}, ${models[i]}`;
    }
    node.cells.push({
      node: name,
      gpuModel: models[i],
      gpu: gpus[i],
      state: STATES[states[i]] ?? 'allocated',
      freeMilli: free[i] ?? 0,
      pods: pods[i],
      migInstances: parseMigInstances(mig[i] ?? ''),
    });
  }
  const jobs = frames.find((f) => f.name === FRAGMENTATION_FRAMES.jobsFit);
  const gangs: GangFit[] = [];
  if (jobs) {
    const kinds = values<string>(jobs, JOBS_FIT_FIELDS.kind, '');
    const names = values<string>(jobs, JOBS_FIT_FIELDS.job, '');
    const fit = values<number>(jobs, JOBS_FIT_FIELDS.fitNow, 0);
    kinds.forEach((kind, i) => {
      if (kind === JOB_KINDS.gang) {
        const gpus = GANG_JOB.exec(names[i])?.[1];
        gangs.push({ job: names[i], gpus: gpus === undefined ? undefined : Number(gpus), fitNow: fit[i] });
      }
    });
  }
  return { nodes: [...nodes.values()], gpuCount: nodeNames.length, gangs };
}
