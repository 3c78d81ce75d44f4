import { DataSourcePlugin } from '@grafana/data';

import { ConfigEditor } from './ConfigEditor';
import { HeadroomDataSource } from './datasource';
import { QueryEditor } from './QueryEditor';
import type { HeadroomDataSourceOptions, HeadroomQuery } from './types';

// Template variables use the data source's metricFindQuery (nodes(), namespaces(), gpu_models()).
export const plugin = new DataSourcePlugin<HeadroomDataSource, HeadroomQuery, HeadroomDataSourceOptions>(
  HeadroomDataSource
)
  .setConfigEditor(ConfigEditor)
  .setQueryEditor(QueryEditor);
