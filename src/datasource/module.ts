import { DataSourcePlugin } from '@grafana/data';

import { HEADROOM_DATASOURCE_TYPE } from '../constants';
import { ConfigEditor } from './ConfigEditor';
import { HeadroomDataSource } from './datasource';
import { QueryEditor } from './QueryEditor';
import { initTranslations } from './translations';
import type { HeadroomDataSourceOptions, HeadroomQuery } from './types';

// Grafana added this plugin's translations before importing the module; binding `t` to its namespace takes a
// microtask, long before Grafana renders an editor, so the module does not wait for it.
void initTranslations(HEADROOM_DATASOURCE_TYPE);

// Template variables use the data source's metricFindQuery (nodes(), namespaces(), gpu_models()).
export const plugin = new DataSourcePlugin<HeadroomDataSource, HeadroomQuery, HeadroomDataSourceOptions>(
  HeadroomDataSource
)
  .setConfigEditor(ConfigEditor)
  .setQueryEditor(QueryEditor);
