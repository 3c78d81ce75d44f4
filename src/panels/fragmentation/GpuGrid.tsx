import React, { useMemo, useState } from 'react';
import { css, cx } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { t } from '@grafana/i18n';
import { useStyles2, useTheme2 } from '@grafana/ui';
import { cellColors, type CellColor } from './cellColors';
import { gpuName, GpuTooltip, stateTexts } from './GpuTooltip';
import type { GridCell, GridNode } from './gridData';

/** Above this many GPUs, nodes flow side by side with small cells and no name column, so 1,000+ GPUs fit. */
export const COMPACT_ABOVE_GPUS = 256;
const CELL_PX = 18;
const COMPACT_CELL_PX = 10;

interface Hover {
  cell: GridCell;
  fragmentedGpus: number | null;
  x: number;
  y: number;
}

/**
 * Each cell's accessible name and each node's hover text, translated once per data: hovering re-renders the grid, and
 * a translation lookup per cell (tens of microseconds) times 1,000+ cells would slow every hover.
 */
function gridTexts(nodes: GridNode[]) {
  const states = stateTexts();
  const escape = { escapeValue: false };
  return {
    cells: new Map(
      nodes.flatMap((node) =>
        node.cells.map((c) => [
          c,
          t('fragmentation.grid.cell-label', '{{gpu}}: {{state}}', {
            gpu: gpuName(c),
            state: states[c.state],
            interpolation: escape,
          }),
        ])
      )
    ),
    nodes: new Map(
      nodes.map((node) => [
        node,
        t('fragmentation.grid.node-title', '{{node}} ({{model}})', {
          node: node.name,
          model: node.gpuModel,
          interpolation: escape,
        }),
      ])
    ),
  };
}

/** One block per node, one cell per GPU; a MIG GPU is split into one segment per instance. */
export function GpuGrid({ nodes, compact }: { nodes: GridNode[]; compact: boolean }) {
  const styles = useStyles2(getStyles, compact ? COMPACT_CELL_PX : CELL_PX);
  const colors = cellColors(useTheme2());
  const [hover, setHover] = useState<Hover | undefined>();
  const texts = useMemo(() => gridTexts(nodes), [nodes]);

  const cell = (node: GridNode, c: GridCell) => (
    <div
      key={`${c.state}-${c.gpu}`}
      role="img"
      aria-label={texts.cells.get(c)}
      data-testid="headroom-gpu-cell"
      data-state={c.state}
      className={cx(styles.cell, c.state === 'mig' && styles.migCell)}
      style={c.state === 'mig' ? undefined : { background: colors[c.state as CellColor] }}
      onMouseEnter={(event) => {
        const box = event.currentTarget.getBoundingClientRect();
        setHover({ cell: c, fragmentedGpus: node.fragmentedGpus, x: box.right, y: box.bottom });
      }}
      onMouseLeave={() => setHover(undefined)}
    >
      {c.state === 'mig' &&
        c.migInstances.map((instance, i) => (
          <span
            key={i}
            className={styles.slice}
            style={{
              flexGrow: Number(/^(\d+)g/.exec(instance.profile)?.[1] ?? 1),
              background: colors[instance.holders.length > 0 ? 'migHeld' : 'migFree'],
            }}
          />
        ))}
    </div>
  );

  return (
    <div className={compact ? styles.flow : styles.rows} data-testid="headroom-gpu-grid">
      {nodes.map((node) =>
        compact ? (
          <div key={node.name} className={styles.nodeBlock} title={texts.nodes.get(node)}>
            {node.cells.map((c) => cell(node, c))}
          </div>
        ) : (
          <div key={node.name} className={styles.nodeRow}>
            <div className={styles.nodeName} title={node.name}>
              {node.name}
            </div>
            <div className={styles.model} title={node.gpuModel}>
              {node.gpuModel}
            </div>
            <div className={styles.cells}>{node.cells.map((c) => cell(node, c))}</div>
          </div>
        )
      )}
      {hover && <GpuTooltip cell={hover.cell} fragmentedGpus={hover.fragmentedGpus} x={hover.x} y={hover.y} />}
    </div>
  );
}

function getStyles(theme: GrafanaTheme2, cellPx: number) {
  return {
    rows: css({ display: 'flex', flexDirection: 'column', gap: theme.spacing(0.5) }),
    flow: css({ display: 'flex', flexWrap: 'wrap', gap: theme.spacing(0.75) }),
    nodeRow: css({ display: 'flex', alignItems: 'center', gap: theme.spacing(1) }),
    nodeName: css({
      width: 180,
      flexShrink: 0,
      overflow: 'hidden',
      textOverflow: 'ellipsis',
      whiteSpace: 'nowrap',
      fontSize: theme.typography.bodySmall.fontSize,
      fontFamily: theme.typography.fontFamilyMonospace,
    }),
    model: css({
      width: 170,
      flexShrink: 1,
      minWidth: 0,
      overflow: 'hidden',
      textOverflow: 'ellipsis',
      whiteSpace: 'nowrap',
      color: theme.colors.text.secondary,
      fontSize: theme.typography.bodySmall.fontSize,
    }),
    cells: css({ display: 'flex', flexWrap: 'wrap', gap: 2 }),
    nodeBlock: css({
      display: 'flex',
      flexWrap: 'wrap',
      gap: 1,
      padding: 1,
      maxWidth: 4 * (cellPx + 1) + 3,
      border: `1px solid ${theme.colors.border.weak}`,
      borderRadius: theme.shape.radius.default,
    }),
    cell: css({
      width: cellPx,
      height: cellPx,
      borderRadius: 2,
      cursor: 'default',
      '&:hover': { outline: `2px solid ${theme.colors.text.primary}`, outlineOffset: 1 },
    }),
    migCell: css({ display: 'flex', gap: 1, background: theme.colors.background.secondary }),
    slice: css({ height: '100%', borderRadius: 1 }),
  };
}
