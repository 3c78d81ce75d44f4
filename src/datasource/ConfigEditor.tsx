import React from 'react';
import { t } from '@grafana/i18n';
import type { DataSourceInstanceSettings, DataSourcePluginOptionsEditorProps, DataSourceSettings } from '@grafana/data';
import { DataSourcePicker, getDataSourceSrv } from '@grafana/runtime';
import { Alert, DataSourceHttpSettings, Field, InlineField, Input, SecretInput, Stack, Text } from '@grafana/ui';

import type { CatalogName } from '../prometheus/catalog';
import { ConnectionMigration } from './ConnectionMigration';
import { OVERRIDE_GROUPS, overrideError, withOverride } from './metricOverrides';
import type { HeadroomDataSourceOptions, HeadroomSecureJsonData } from './types';

type Props = DataSourcePluginOptionsEditorProps<HeadroomDataSourceOptions, HeadroomSecureJsonData>;
type Settings = DataSourceSettings<HeadroomDataSourceOptions, HeadroomSecureJsonData>;

/** Prometheus and the data sources that answer its API under the same plugin type (Mimir, Thanos, Cortex). */
const PROMETHEUS_TYPE = 'prometheus';
const OVERRIDE_LABEL_WIDTH = 40;
const DEFAULT_URL = 'http://prometheus:9090';

/**
 * Every change of the connection records whether a URL is set (`ownConnection`), the one thing of it the browser
 * can see, and keeps server access: Grafana's HTTP settings show the timeout and custom headers only for it.
 */
function withConnection(settings: Settings): Settings {
  return {
    ...settings,
    access: 'proxy',
    jsonData: { ...settings.jsonData, ownConnection: settings.url.trim() !== '' },
  };
}

export function ConfigEditor({ options, onOptionsChange }: Props) {
  const { jsonData } = options;
  const overrides = jsonData.metricOverrides ?? {};
  const hasUrl = options.url.trim() !== '';
  const borrowed = jsonData.prometheusUid ? getDataSourceSrv().getInstanceSettings(jsonData.prometheusUid) : undefined;
  // plugin.json's `backend`: without it Grafana runs no Headroom backend, and the URL below cannot be used.
  const backendRuns = getDataSourceSrv().getInstanceSettings(options.uid)?.meta?.backend === true;

  const onConnectionChange = (settings: Settings) => onOptionsChange(withConnection(settings));

  const onPrometheusChange = (prometheus: DataSourceInstanceSettings) =>
    onOptionsChange({ ...options, jsonData: { ...jsonData, prometheusUid: prometheus.uid } });

  const onBearerTokenChange = (bearerToken: string) =>
    onOptionsChange({ ...options, secureJsonData: { ...options.secureJsonData, bearerToken } });

  const onBearerTokenReset = () =>
    onOptionsChange({
      ...options,
      secureJsonFields: { ...options.secureJsonFields, bearerToken: false },
      secureJsonData: { ...options.secureJsonData, bearerToken: '' },
    });

  const onOverrideChange = (defaultName: CatalogName, value: string) =>
    onOptionsChange({
      ...options,
      jsonData: { ...jsonData, metricOverrides: withOverride(overrides, defaultName, value) },
    });

  return (
    <Stack direction="column" gap={3}>
      {!hasUrl && jsonData.prometheusUid && (
        <ConnectionMigration
          prometheusUid={jsonData.prometheusUid}
          prometheusName={borrowed?.name}
          onCopy={(url) => onConnectionChange({ ...options, url })}
        />
      )}

      {hasUrl && !backendRuns && (
        <Alert
          severity="warning"
          title={t('datasource.config.no-backend.title', 'This build of Headroom has no backend for Grafana to run')}
        >
          {t(
            'datasource.config.no-backend.body',
            'The connection below is kept but not used: Headroom reads Prometheus through the Prometheus data source chosen below until a build with its backend is installed.'
          )}
        </Alert>
      )}

      {/* Its successors live in @grafana/plugin-ui, not a dependency of Headroom; this one writes the same fields. */}
      {/* eslint-disable-next-line @typescript-eslint/no-deprecated */}
      <DataSourceHttpSettings
        defaultUrl={DEFAULT_URL}
        urlLabel={t('datasource.config.url-label', 'Prometheus URL')}
        dataSourceConfig={{ ...options, access: 'proxy' }}
        onChange={onConnectionChange}
        showAccessOptions={false}
        // Headroom's backend does not forward the Grafana user's OAuth token to Prometheus.
        showForwardOAuthIdentityOption={false}
      />

      <Field
        label={t('datasource.config.bearer-token.label', 'Bearer token')}
        htmlFor="headroom-bearer-token"
        description={t(
          'datasource.config.bearer-token.description',
          'Sent as Authorization: Bearer <token> when basic authentication is off (a custom Authorization header wins).'
        )}
      >
        <SecretInput
          id="headroom-bearer-token"
          width={40}
          isConfigured={Boolean(options.secureJsonFields?.bearerToken)}
          value={options.secureJsonData?.bearerToken ?? ''}
          onChange={(event) => onBearerTokenChange(event.currentTarget.value)}
          onReset={onBearerTokenReset}
        />
      </Field>

      <Field
        label={t('datasource.config.alert-datasource.label', 'Prometheus data source for alert rules')}
        description={
          hasUrl
            ? t(
                'datasource.config.alert-datasource.with-url',
                "Headroom's threshold rules run in Grafana on this data source; choose the one that reads the same Prometheus."
              )
            : t(
                'datasource.config.alert-datasource.without-url',
                "Headroom's threshold rules run in Grafana on this data source. Without a URL above, Headroom also reads Prometheus through it."
              )
        }
        required={!hasUrl}
        invalid={!hasUrl && !jsonData.prometheusUid}
        error={t(
          'datasource.config.alert-datasource.missing',
          'Enter the Prometheus URL above or choose a Prometheus data source.'
        )}
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
        <Text element="h3">{t('datasource.config.metric-names.title', 'Metric names')}</Text>
        <Text color="secondary">
          {t(
            'datasource.config.metric-names.description',
            'Leave empty to use the default name. Fill in a name only if your recording rules or relabelling renamed a metric or label.'
          )}
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
                    aria-label={t('datasource.config.metric-names.in-use', 'Name in use for {{name}}', {
                      name: defaultName,
                      interpolation: { escapeValue: false },
                    })}
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
