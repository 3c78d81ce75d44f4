// A panel's query editor as Grafana's panel editor shows it, `/query-editor/<data source uid>?query=<JSON>`, reduced to
// what a data source plugin meets there (public/app/features/query/components/QueryEditorRow.tsx, renderPluginEditor,
// and the scenes panel editor's query detail view, docs/grafana-compatibility.md "Stand-ins"): the instance's
// `components.QueryEditor` given the query, the data source, `onChange`, `onRunQuery`, the time range and
// `app: panel-editor`. The query row's chrome (title, actions) is Grafana's own and not drawn; queries are not run.
import { CoreApp, getDefaultTimeRange, type DataQuery, type DataSourceApi } from '@grafana/data';
import { getDataSourceSrv } from '@grafana/runtime';
import { Alert, LoadingPlaceholder } from '@grafana/ui';
import React, { useEffect, useState } from 'react';
import { useLocation, useParams } from 'react-router';

type Loaded = { dataSource: DataSourceApi } | { error: string };

export function QueryEditorHost() {
  const { uid = '' } = useParams();
  const search = new URLSearchParams(useLocation().search);
  const [loaded, setLoaded] = useState<Loaded>();
  const [query, setQuery] = useState<DataQuery>(() => ({ refId: 'A', ...JSON.parse(search.get('query') ?? '{}') }));

  useEffect(() => {
    getDataSourceSrv()
      .get(uid)
      .then(
        (dataSource) => setLoaded({ dataSource }),
        (error: unknown) => setLoaded({ error: String(error) })
      );
  }, [uid]);

  if (!loaded) {
    return <LoadingPlaceholder text="Loading data source..." />;
  }
  if ('error' in loaded) {
    return <Alert title="Data source failed to load">{loaded.error}</Alert>;
  }
  const { dataSource } = loaded;
  const QueryEditor = dataSource.components?.QueryEditor;
  if (!QueryEditor) {
    return <Alert title="Data source plugin does not export any Query Editor component" />;
  }
  // The editor pane's width at a 1280 px window with the options pane open.
  return (
    <div style={{ width: 960, padding: 16 }} data-testid="harness-query-editor">
      <QueryEditor
        query={query}
        datasource={dataSource}
        onChange={setQuery}
        onRunQuery={() => undefined}
        range={getDefaultTimeRange()}
        app={CoreApp.PanelEditor}
      />
    </div>
  );
}
