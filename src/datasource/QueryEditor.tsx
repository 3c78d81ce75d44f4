import React from 'react';
import type { QueryEditorProps, SelectableValue } from '@grafana/data';
import { InlineField, Input, RadioButtonGroup, Stack } from '@grafana/ui';

import type { HeadroomDataSource } from './datasource';
import {
  DEFAULT_QUERY,
  type HeadroomDataSourceOptions,
  type HeadroomQuery,
  type HeadroomQueryType,
  type InventoryView,
} from './types';

type Props = QueryEditorProps<HeadroomDataSource, HeadroomQuery, HeadroomDataSourceOptions>;

const QUERY_TYPES: Array<SelectableValue<HeadroomQueryType>> = [
  { label: 'Inventory', value: 'inventory', description: 'GPU capacity, allocated, busy and free GPUs' },
];

const VIEWS: Array<SelectableValue<InventoryView>> = [
  { label: 'Fleet', value: 'fleet', description: 'Totals of the whole fleet over time' },
  { label: 'By GPU model', value: 'byModel', description: 'One series per GPU model' },
  { label: 'By namespace', value: 'byNamespace', description: 'Allocated and busy GPUs per namespace' },
  { label: 'Nodes', value: 'nodes', description: 'A table, one row per node, at the end of the range' },
];

type FilterKey = 'node' | 'namespace' | 'gpuModel';

const FILTERS: Array<{ key: FilterKey; label: string; placeholder: string; tooltip: string }> = [
  { key: 'node', label: 'Node', placeholder: 'all, or e.g. $node', tooltip: 'Kubernetes node name' },
  { key: 'namespace', label: 'Namespace', placeholder: 'all, or e.g. $namespace', tooltip: 'Namespace of the pods' },
  { key: 'gpuModel', label: 'GPU model', placeholder: 'all, or e.g. $gpu_model', tooltip: 'DCGM modelName' },
];

const FILTER_TOOLTIP_SUFFIX =
  '. Empty means all. A value, a template variable (multi-value and All work), or several values as a JSON array.';

export function QueryEditor({ query, onChange, onRunQuery }: Props) {
  const change = (next: Partial<HeadroomQuery>, run: boolean) => {
    onChange({ ...query, ...next });
    if (run) {
      onRunQuery();
    }
  };

  return (
    <Stack direction="column" gap={1}>
      <Stack gap={2} wrap="wrap">
        <InlineField label="Query" tooltip="What Headroom computes">
          <RadioButtonGroup
            options={QUERY_TYPES}
            value={query.queryType ?? DEFAULT_QUERY.queryType}
            onChange={(queryType) => change({ queryType }, true)}
          />
        </InlineField>
        <InlineField label="View" tooltip="How the inventory is grouped">
          <RadioButtonGroup
            options={VIEWS}
            value={query.inventoryView ?? DEFAULT_QUERY.inventoryView}
            onChange={(inventoryView) => change({ inventoryView }, true)}
          />
        </InlineField>
      </Stack>
      <Stack gap={1} wrap="wrap">
        {FILTERS.map((filter) => (
          <InlineField key={filter.key} label={filter.label} tooltip={filter.tooltip + FILTER_TOOLTIP_SUFFIX}>
            <Input
              aria-label={`${filter.label} filter`}
              width={30}
              placeholder={filter.placeholder}
              value={query[filter.key] ?? ''}
              // Typing updates the query; leaving the field runs it, so half-typed names do not hit Prometheus.
              onChange={(event) => change({ [filter.key]: event.currentTarget.value }, false)}
              onBlur={() => onRunQuery()}
            />
          </InlineField>
        ))}
      </Stack>
    </Stack>
  );
}
