// Grafana's data source settings page, `/connections/datasources/edit/<uid>`, reduced to what a data source plugin
// meets there: the stored settings (`GET /api/datasources/uid/<uid>`, secrets only as `secureJsonFields`) handed to
// the plugin's ConfigEditor, which changes them through `onOptionsChange`; "Save & test" runs the instance's
// `testDatasource()` and shows its answer in an alert titled with its message (Grafana's DataSourceTestingStatus).
// Saving itself is not simulated: the instance under test keeps the settings the server started with.
import type { DataSourceApi, DataSourceSettings, TestDataSourceResponse } from '@grafana/data';
import { getBackendSrv, getDataSourceSrv } from '@grafana/runtime';
import { Alert, Button, LoadingPlaceholder, Stack } from '@grafana/ui';
import React, { useEffect, useState } from 'react';
import { useParams } from 'react-router';

type Loaded = { settings: DataSourceSettings; dataSource: DataSourceApi } | { error: string };

const SEVERITY = { success: 'success', warning: 'warning', error: 'error' } as const;

async function load(uid: string): Promise<Loaded> {
  const stored = await getBackendSrv().get<Partial<DataSourceSettings>>(`/api/datasources/uid/${uid}`);
  const dataSource = await getDataSourceSrv().get(uid);
  const settings = {
    id: 2,
    orgId: 1,
    typeName: stored.type ?? '',
    typeLogoUrl: '',
    isDefault: false,
    readOnly: false,
    withCredentials: false,
    user: '',
    basicAuth: false,
    basicAuthUser: '',
    database: '',
    secureJsonData: {},
    ...stored,
  } as DataSourceSettings;
  return { settings, dataSource };
}

export function DataSourceSettingsHost() {
  const { uid = '' } = useParams();
  const [loaded, setLoaded] = useState<Loaded>();
  const [result, setResult] = useState<TestDataSourceResponse>();

  useEffect(() => {
    load(uid).then(setLoaded, (error: unknown) => setLoaded({ error: String(error) }));
  }, [uid]);

  if (!loaded) {
    return <LoadingPlaceholder text="Loading data source settings..." />;
  }
  if ('error' in loaded) {
    return <Alert title="Data source settings failed to load">{loaded.error}</Alert>;
  }
  const { settings, dataSource } = loaded;
  const ConfigEditor = dataSource.components?.ConfigEditor;
  if (!ConfigEditor) {
    return <Alert title="The data source plugin has no ConfigEditor" />;
  }
  const test = () =>
    dataSource
      .testDatasource()
      .then(setResult, (error: unknown) => setResult({ status: 'error', message: String(error) }));
  const details = (result?.details as { message?: string } | undefined)?.message;

  return (
    <div style={{ maxWidth: 900, padding: 16 }}>
      <Stack direction="column" gap={2}>
        <ConfigEditor
          options={settings}
          onOptionsChange={(options: DataSourceSettings) => setLoaded({ settings: options, dataSource })}
        />
        <div>
          <Button onClick={test}>Save &amp; test</Button>
        </div>
        {result && (
          <Alert
            severity={SEVERITY[result.status as keyof typeof SEVERITY] ?? 'error'}
            title={result.message}
            aria-label="Data source settings page Alert"
          >
            {details}
          </Alert>
        )}
      </Stack>
    </div>
  );
}
