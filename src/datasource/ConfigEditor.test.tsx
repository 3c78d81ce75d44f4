import React from 'react';
import { fireEvent, render, screen } from '@testing-library/react';
import type { DataSourceInstanceSettings, DataSourcePluginMeta, DataSourceSettings } from '@grafana/data';
import { setDataSourceSrv, type DataSourceSrv, type GetDataSourceListFilters } from '@grafana/runtime';

import { ConfigEditor } from './ConfigEditor';
import type { HeadroomDataSourceOptions } from './types';

const prometheus = {
  uid: 'prom-uid',
  name: 'Prom main',
  type: 'prometheus',
  meta: { info: { logos: { small: '' } } } as DataSourcePluginMeta,
} as DataSourceInstanceSettings;

/** Grafana's data source registry cannot run here; this one knows one Prometheus and records the picker's filters. */
function useDataSources(): GetDataSourceListFilters[] {
  const filters: GetDataSourceListFilters[] = [];
  setDataSourceSrv({
    getList: (filter?: GetDataSourceListFilters) => {
      filters.push(filter ?? {});
      return [prometheus];
    },
    getInstanceSettings: (ref?: unknown) =>
      ref === prometheus.uid || ref === prometheus.name ? prometheus : undefined,
  } as unknown as DataSourceSrv);
  return filters;
}

/** `database` is left out: required by the type but deprecated and unused by Headroom. */
function options(jsonData: HeadroomDataSourceOptions): DataSourceSettings<HeadroomDataSourceOptions> {
  return {
    id: 1,
    uid: 'headroom',
    orgId: 1,
    name: 'Headroom',
    type: 'headroom-capacity-datasource',
    typeName: 'Headroom',
    typeLogoUrl: '',
    access: 'proxy',
    url: '',
    user: '',
    basicAuth: false,
    basicAuthUser: '',
    isDefault: false,
    jsonData,
    secureJsonFields: {},
    readOnly: false,
    withCredentials: false,
  } as DataSourceSettings<HeadroomDataSourceOptions>;
}

describe('ConfigEditor', () => {
  it('asks for a Prometheus data source when none is chosen, offering only Prometheus-type ones', () => {
    const filters = useDataSources();

    render(<ConfigEditor options={options({})} onOptionsChange={jest.fn()} />);

    expect(screen.getByText('Choose a Prometheus data source.')).toBeInTheDocument();
    expect(filters.length).toBeGreaterThan(0);
    expect(filters.every((filter) => filter.type === 'prometheus')).toBe(true);
  });

  it('shows the chosen data source and stores the UID of a newly picked one', () => {
    useDataSources();
    const onOptionsChange = jest.fn();
    const { rerender } = render(<ConfigEditor options={options({})} onOptionsChange={onOptionsChange} />);

    fireEvent.keyDown(screen.getByLabelText('Select a data source'), { key: 'ArrowDown' });
    fireEvent.click(screen.getByText('Prom main'));

    expect(onOptionsChange).toHaveBeenCalledWith(expect.objectContaining({ jsonData: { prometheusUid: 'prom-uid' } }));
    rerender(<ConfigEditor options={options({ prometheusUid: 'prom-uid' })} onOptionsChange={onOptionsChange} />);
    expect(screen.getByText('Prom main')).toBeInTheDocument();
    expect(screen.queryByText('Choose a Prometheus data source.')).not.toBeInTheDocument();
  });

  it('stores a metric-name override under its default name, keeping other settings', () => {
    useDataSources();
    const onOptionsChange = jest.fn();
    const jsonData = { prometheusUid: 'prom-uid', metricOverrides: { Hostname: 'node' } };
    render(<ConfigEditor options={options(jsonData)} onOptionsChange={onOptionsChange} />);

    fireEvent.change(screen.getByLabelText('Name in use for DCGM_FI_DEV_GPU_UTIL'), {
      target: { value: 'gpu_util:avg' },
    });

    expect(onOptionsChange).toHaveBeenCalledWith(
      expect.objectContaining({
        jsonData: {
          prometheusUid: 'prom-uid',
          metricOverrides: { Hostname: 'node', DCGM_FI_DEV_GPU_UTIL: 'gpu_util:avg' },
        },
      })
    );
    expect(screen.getByLabelText('Name in use for Hostname')).toHaveValue('node');
  });

  it('explains an override Prometheus would reject', () => {
    useDataSources();
    const jsonData = { prometheusUid: 'prom-uid', metricOverrides: { DCGM_FI_DEV_FB_USED: 'fb-used' } };

    render(<ConfigEditor options={options(jsonData)} onOptionsChange={jest.fn()} />);

    expect(screen.getByText(/"fb-used" is not a valid Prometheus metric name/)).toBeInTheDocument();
  });
});
