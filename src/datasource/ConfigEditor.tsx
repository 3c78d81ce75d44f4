import React from 'react';
import type { DataSourceInstanceSettings, DataSourcePluginOptionsEditorProps } from '@grafana/data';
import { DataSourcePicker } from '@grafana/runtime';
import { Field, InlineField, Input, Stack, Text } from '@grafana/ui';

import type { CatalogName } from '../prometheus/catalog';
import { OVERRIDE_GROUPS, overrideError, withOverride } from './metricOverrides';
import type { HeadroomDataSourceOptions } from './types';

type Props = DataSourcePluginOptionsEditorProps<HeadroomDataSourceOptions>;

/** Prometheus and the data sources that answer its API under the same plugin type (Mimir, Thanos, Cortex). */
const PROMETHEUS_TYPE = 'prometheus';
const OVERRIDE_LABEL_WIDTH = 40;

export function ConfigEditor({ options, onOptionsChange }: Props) {
  const { jsonData } = options;
  const overrides = jsonData.metricOverrides ?? {};

  const onPrometheusChange = (prometheus: DataSourceInstanceSettings) =>
    onOptionsChange({ ...options, jsonData: { ...jsonData, prometheusUid: prometheus.uid } });

  const onOverrideChange = (defaultName: CatalogName, value: string) =>
    onOptionsChange({
      ...options,
      jsonData: { ...jsonData, metricOverrides: withOverride(overrides, defaultName, value) },
    });

  return (
    <Stack direction="column" gap={3}>
      <Field
        label="Prometheus data source"
        description="Where your DCGM exporter, kube-state-metrics and vLLM metrics are. Headroom reads them through this data source and its credentials."
        required
        invalid={!jsonData.prometheusUid}
        error="Choose a Prometheus data source."
      >
        <DataSourcePicker
          inputId="headroom-prometheus"
          type={PROMETHEUS_TYPE}
          current={jsonData.prometheusUid ?? null}
          noDefault
          width={40}
          onChange={onPrometheusChange}
        />
      </Field>

      <Stack direction="column" gap={1}>
        <Text element="h3">Metric names</Text>
        <Text color="secondary">
          Leave empty to use the default name. Fill in a name only if your recording rules or relabelling renamed a
          metric or label.
        </Text>
        {OVERRIDE_GROUPS.map((group) => (
          <Stack key={group.title} direction="column" gap={0.5}>
            <Text element="h4">{group.title}</Text>
            <Text color="secondary" variant="bodySmall">
              {group.description}
            </Text>
            {group.names.map((defaultName) => {
              const error = overrideError(defaultName, overrides[defaultName]);
              return (
                <InlineField
                  key={defaultName}
                  label={defaultName}
                  labelWidth={OVERRIDE_LABEL_WIDTH}
                  invalid={error !== undefined}
                  error={error}
                >
                  <Input
                    aria-label={`Name in use for ${defaultName}`}
                    width={40}
                    placeholder={defaultName}
                    value={overrides[defaultName] ?? ''}
                    onChange={(event) => onOverrideChange(defaultName, event.currentTarget.value)}
                  />
                </InlineField>
              );
            })}
          </Stack>
        ))}
      </Stack>
    </Stack>
  );
}
