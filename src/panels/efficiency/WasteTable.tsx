import React, { useMemo } from 'react';
import { t } from '@grafana/i18n';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { InteractiveTable, useStyles2, type Column } from '@grafana/ui';
import type { WasteRow, WasteTableData } from './efficiencyData';
import { formatPercent } from '../../datasource/wording/localeNumbers';
import { formatDollars, formatGpuHours } from './format';

/**
 * Rows drawn at once: a fleet of 10,000 GPUs had 28,459 pods in a day, and drawing every row took the browser heap to
 * 800 MiB and the main thread to a minute and a half (docs/scale.md). Sorting still spans every row.
 */
const ROWS_PER_PAGE = 100;
const INITIAL_SORT = [{ id: 'wastedCost', desc: true }];
/** Flag → theme colour family: idle is money burning, the others are sizing hints. */
const FLAG_TONES: Record<string, 'error' | 'warning' | 'info'> = {
  idle: 'error',
  'over-provisioned': 'warning',
  'memory held while idle': 'info',
};

/** The waste frame's key columns and flags (English words the data source writes) in the user's language. */
function frameWords(): Record<string, string> {
  return {
    Pod: t('efficiency.table.pod', 'Pod'),
    Namespace: t('efficiency.table.namespace', 'Namespace'),
    'GPU model': t('efficiency.table.gpu-model', 'GPU model'),
    idle: t('efficiency.table.flag-idle', 'idle'),
    'over-provisioned': t('efficiency.table.flag-over-provisioned', 'over-provisioned'),
    'memory held while idle': t('efficiency.table.flag-memory-held', 'memory held while idle'),
  };
}

/** Rows of the waste frame, sortable by every column, largest $ wasted first. */
export function WasteTable({ data }: { data: WasteTableData }) {
  const styles = useStyles2(getStyles);
  const columns = useMemo((): Array<Column<WasteRow>> => {
    const words = frameWords();
    const numeric = (id: keyof WasteRow, header: string, format: (row: WasteRow) => string): Column<WasteRow> => ({
      id,
      header,
      sortType: (a, b) =>
        ((a.original[id] as number | undefined) ?? -1) - ((b.original[id] as number | undefined) ?? -1),
      sortDescFirst: true,
      cell: ({ row }) => <span className={styles.number}>{format(row.original)}</span>,
    });
    const keyColumns = data.keyNames.map((name, k): Column<WasteRow> => ({
      id: `key${k}` as keyof WasteRow,
      header: words[name] ?? name,
      sortType: (a, b) => a.original.keys[k].localeCompare(b.original.keys[k]),
      cell: ({ row }) => <span className={k === 0 ? styles.key : undefined}>{row.original.keys[k]}</span>,
    }));
    const hasActivity = data.rows.some((r) => r.meanActivityPercent !== undefined);
    return [
      ...keyColumns,
      numeric('allocatedGpuHours', t('efficiency.table.allocated', 'Allocated'), (r) =>
        formatGpuHours(r.allocatedGpuHours)
      ),
      numeric('busyGpuHours', t('efficiency.table.busy', 'Busy'), (r) => formatGpuHours(r.busyGpuHours)),
      numeric('idleGpuHours', t('efficiency.table.idle', 'Idle'), (r) => formatGpuHours(r.idleGpuHours)),
      ...(hasActivity
        ? [
            numeric('meanActivityPercent', t('efficiency.table.mean-activity', 'Mean activity'), (r) =>
              formatPercent(r.meanActivityPercent)
            ),
          ]
        : []),
      numeric('wastedCost', t('efficiency.table.wasted', '$ wasted'), (r) => formatDollars(r.wastedCost)),
      numeric('allocatedCost', t('efficiency.table.allocated-cost', '$ allocated'), (r) =>
        formatDollars(r.allocatedCost)
      ),
      {
        id: 'flags',
        header: t('efficiency.table.flags', 'Flags'),
        cell: ({ row }) => (
          <span className={styles.flags}>
            {row.original.flags
              .split(', ')
              .filter(Boolean)
              .map((flag) => (
                <span key={flag} className={styles.flag(FLAG_TONES[flag] ?? 'info')}>
                  {words[flag] ?? flag}
                </span>
              ))}
          </span>
        ),
      },
    ];
  }, [data, styles]);
  return (
    <div className={styles.wrapper} data-testid="headroom-efficiency-waste-table">
      <InteractiveTable
        columns={columns}
        data={data.rows}
        getRowId={(row) => row.id}
        initialSortBy={INITIAL_SORT}
        disableSortRemove
        pageSize={ROWS_PER_PAGE}
      />
    </div>
  );
}

function getStyles(theme: GrafanaTheme2) {
  return {
    wrapper: css({ overflow: 'auto', flex: 1, minHeight: 0 }),
    number: css({ fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' }),
    key: css({ fontWeight: theme.typography.fontWeightMedium }),
    flags: css({ display: 'flex', gap: theme.spacing(0.5), flexWrap: 'wrap' }),
    flag: (tone: 'error' | 'warning' | 'info') =>
      css({
        color: theme.colors[tone].text,
        border: `1px solid ${theme.colors[tone].border}`,
        background: theme.colors[tone].transparent,
        borderRadius: theme.shape.radius.pill,
        padding: theme.spacing(0, 1),
        fontSize: theme.typography.bodySmall.fontSize,
        whiteSpace: 'nowrap',
      }),
  };
}
