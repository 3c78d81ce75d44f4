import type { GrafanaTheme2 } from '@grafana/data';
import type { CellState } from './gridData';

/** What a cell colour means, in legend order. `migFree` / `migHeld` colour the slices of a MIG GPU. */
export type CellColor = Exclude<CellState, 'mig'> | 'migHeld' | 'migFree';

export const CELL_LABELS: Record<CellColor, string> = {
  free: 'Free',
  allocated: 'Allocated',
  shared: 'Shared (time-sliced or partly free)',
  migHeld: 'MIG instance in use',
  migFree: 'MIG instance free',
};

/** Theme colours, so the grid reads the same in dark and light themes: green is free capacity everywhere. */
export function cellColors(theme: GrafanaTheme2): Record<CellColor, string> {
  const color = (name: string) => theme.visualization.getColorByName(name);
  return {
    free: color('green'),
    allocated: color('blue'),
    shared: color('orange'),
    migHeld: color('purple'),
    migFree: color('semi-dark-green'),
  };
}
