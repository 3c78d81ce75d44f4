import type { GrafanaTheme2 } from '@grafana/data';
import { t } from '@grafana/i18n';
import type { CellState } from './gridData';

/** What a cell colour means, in legend order. `migFree` / `migHeld` colour the slices of a MIG GPU. */
export type CellColor = Exclude<CellState, 'mig'> | 'migHeld' | 'migFree';

/** The legend's names of the cell colours, in legend order. */
export const cellLabels = (): Record<CellColor, string> => ({
  free: t('fragmentation.grid.cell.free', 'Free'),
  allocated: t('fragmentation.grid.cell.allocated', 'Allocated'),
  shared: t('fragmentation.grid.cell.shared', 'Shared (time-sliced or partly free)'),
  migHeld: t('fragmentation.grid.cell.mig-held', 'MIG instance in use'),
  migFree: t('fragmentation.grid.cell.mig-free', 'MIG instance free'),
});

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
