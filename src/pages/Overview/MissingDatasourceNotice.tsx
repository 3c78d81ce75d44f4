import { t } from '@grafana/i18n';
import React from 'react';
import {
  DataSourceVariable,
  SceneObjectBase,
  sceneGraph,
  type SceneComponentProps,
  type SceneObjectState,
} from '@grafana/scenes';
import { Alert, LinkButton } from '@grafana/ui';

/** Explains an empty Overview when Grafana has no Headroom data source for the `ds` variable to offer. */
export class MissingDatasourceNotice extends SceneObjectBase<SceneObjectState> {
  static Component = MissingDatasourceNoticeRenderer;
}

function MissingDatasourceNoticeRenderer({ model }: SceneComponentProps<MissingDatasourceNotice>) {
  const variable = sceneGraph.lookupVariable('ds', model) as DataSourceVariable;
  const { error, options } = variable.useState();

  // The variable reports an error only once it has looked and found nothing.
  if (!error || options.length > 0) {
    return null;
  }
  return (
    <div data-testid="headroom-overview-no-datasource">
      <Alert severity="info" title={t('overview.no-datasource.title', 'No Headroom data source yet')}>
        {t(
          'overview.no-datasource.body',
          'Headroom reads the fleet through a Headroom data source that sits on top of the Prometheus scraping your DCGM exporter and kube-state-metrics. Add one, then come back to this page.'
        )}
        <div>
          <LinkButton href="/connections/datasources/new" icon="plus" size="sm" variant="secondary">
            {t('overview.no-datasource.add', 'Add a data source')}
          </LinkButton>
        </div>
      </Alert>
    </div>
  );
}
