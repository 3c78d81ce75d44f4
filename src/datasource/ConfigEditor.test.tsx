import React from 'react';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import type { DataSourceInstanceSettings, DataSourcePluginMeta, DataSourceSettings } from '@grafana/data';
import {
  setBackendSrv,
  setDataSourceSrv,
  type BackendSrv,
  type DataSourceSrv,
  type GetDataSourceListFilters,
} from '@grafana/runtime';

import { ConfigEditor } from './ConfigEditor';
import type { HeadroomDataSourceOptions } from './types';

const prometheus = {
  uid: 'prom-uid',
  name: 'Prom main',
  type: 'prometheus',
  meta: { info: { logos: { small: '' } } } as DataSourcePluginMeta,
} as DataSourceInstanceSettings;

/** The Headroom data source as Grafana's registry knows it: `meta.backend` is plugin.json's. */
const headroom = { uid: 'headroom', name: 'Headroom', meta: { backend: true } } as DataSourceInstanceSettings;

/** Grafana's data source registry cannot run here; this one knows one Prometheus and records the picker's filters. */
function useDataSources(): GetDataSourceListFilters[] {
  const filters: GetDataSourceListFilters[] = [];
  setDataSourceSrv({
    getList: (filter?: GetDataSourceListFilters) => {
      filters.push(filter ?? {});
      return [prometheus];
    },
    getInstanceSettings: (ref?: unknown) =>
      ref === prometheus.uid || ref === prometheus.name ? prometheus : ref === headroom.uid ? headroom : undefined,
  } as unknown as DataSourceSrv);
  return filters;
}

/** `database` is left out: required by the type but deprecated and unused by Headroom. */
function options(jsonData: HeadroomDataSourceOptions, url = ''): DataSourceSettings<HeadroomDataSourceOptions> {
  return {
    id: 1,
    uid: 'headroom',
    orgId: 1,
    name: 'Headroom',
    type: 'headroom-capacity-datasource',
    typeName: 'Headroom',
    typeLogoUrl: '',
    access: 'proxy',
    url,
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

    expect(screen.getByText('Enter the Prometheus URL above or choose a Prometheus data source.')).toBeInTheDocument();
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
    expect(
      screen.queryByText('Enter the Prometheus URL above or choose a Prometheus data source.')
    ).not.toBeInTheDocument();
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

  describe('own connection', () => {
    it('records that a URL is set when one is typed, and that none is when it is cleared, keeping the rest', () => {
      useDataSources();
      const onOptionsChange = jest.fn();
      const jsonData = { prometheusUid: 'prom-uid', metricOverrides: { Hostname: 'node' } };
      const { rerender } = render(<ConfigEditor options={options(jsonData)} onOptionsChange={onOptionsChange} />);

      fireEvent.change(screen.getByPlaceholderText('http://prometheus:9090'), {
        target: { value: 'http://prom.internal:9090' },
      });
      expect(onOptionsChange).toHaveBeenLastCalledWith(
        expect.objectContaining({
          url: 'http://prom.internal:9090',
          access: 'proxy',
          jsonData: { ...jsonData, ownConnection: true },
        })
      );

      rerender(
        <ConfigEditor
          options={options({ ...jsonData, ownConnection: true }, 'http://prom.internal:9090')}
          onOptionsChange={onOptionsChange}
        />
      );
      fireEvent.change(screen.getByPlaceholderText('http://prometheus:9090'), { target: { value: ' ' } });
      expect(onOptionsChange).toHaveBeenLastCalledWith(
        expect.objectContaining({ jsonData: { ...jsonData, ownConnection: false } })
      );
    });

    it("does not offer forwarding the user's OAuth identity, which Headroom's backend does not do", () => {
      useDataSources();
      render(<ConfigEditor options={options({}, 'http://prom:9090')} onOptionsChange={jest.fn()} />);

      expect(screen.getByText('Basic auth')).toBeInTheDocument();
      expect(screen.queryByText('Forward OAuth Identity')).not.toBeInTheDocument();
    });

    it('with a URL, the Prometheus data source is for alert rules only and not required', () => {
      useDataSources();
      render(
        <ConfigEditor options={options({ ownConnection: true }, 'http://prom:9090')} onOptionsChange={jest.fn()} />
      );

      expect(screen.getByText('Prometheus data source for alert rules')).toBeInTheDocument();
      expect(
        screen.queryByText('Enter the Prometheus URL above or choose a Prometheus data source.')
      ).not.toBeInTheDocument();
      expect(screen.queryByText(/Headroom reads Prometheus through the data source/)).not.toBeInTheDocument();
    });

    it('warns that a URL is not used when the installed build has no backend, and not when it has one', () => {
      useDataSources();
      const { rerender } = render(
        <ConfigEditor options={options({ ownConnection: true }, 'http://prom:9090')} onOptionsChange={jest.fn()} />
      );
      expect(screen.queryByText('This build of Headroom has no backend for Grafana to run')).not.toBeInTheDocument();

      headroom.meta.backend = false;
      try {
        rerender(
          <ConfigEditor options={options({ ownConnection: true }, 'http://prom:9091')} onOptionsChange={jest.fn()} />
        );
        expect(screen.getByText('This build of Headroom has no backend for Grafana to run')).toBeInTheDocument();
      } finally {
        headroom.meta.backend = true;
      }
    });

    it('stores a bearer token as a secret', () => {
      useDataSources();
      const onOptionsChange = jest.fn();
      render(<ConfigEditor options={options({}, 'http://prom:9090')} onOptionsChange={onOptionsChange} />);

      fireEvent.change(screen.getByLabelText(/^Bearer token/), { target: { value: 't0ken' } });

      expect(onOptionsChange).toHaveBeenLastCalledWith(
        expect.objectContaining({ secureJsonData: { bearerToken: 't0ken' }, jsonData: {} })
      );
    });
  });

  describe('settings that only name a Prometheus data source', () => {
    function storedDataSource(answer: () => Promise<unknown>): string[] {
      const asked: string[] = [];
      setBackendSrv({
        get: (url: string) => {
          asked.push(url);
          return answer();
        },
      } as unknown as BackendSrv);
      return asked;
    }

    it("offer to copy that data source's URL, and copying keeps everything set before", async () => {
      useDataSources();
      const asked = storedDataSource(async () => ({ uid: 'prom-uid', url: 'http://prom.internal:9090 ' }));
      const onOptionsChange = jest.fn();
      const jsonData = { prometheusUid: 'prom-uid', metricOverrides: { Hostname: 'node' } };
      render(<ConfigEditor options={options(jsonData)} onOptionsChange={onOptionsChange} />);

      expect(screen.getByText('Headroom reads Prometheus through the data source "Prom main"')).toBeInTheDocument();
      fireEvent.click(screen.getByRole('button', { name: /Copy URL from Prom main/ }));

      await waitFor(() =>
        expect(onOptionsChange).toHaveBeenCalledWith(
          expect.objectContaining({
            url: 'http://prom.internal:9090',
            access: 'proxy',
            jsonData: { ...jsonData, ownConnection: true },
          })
        )
      );
      expect(asked).toEqual(['/api/datasources/uid/prom-uid']);
    });

    it('say why the URL could not be copied', async () => {
      useDataSources();
      storedDataSource(async () => Promise.reject({ status: 403, data: { message: 'Permission denied' } }));
      const onOptionsChange = jest.fn();
      render(<ConfigEditor options={options({ prometheusUid: 'prom-uid' })} onOptionsChange={onOptionsChange} />);

      fireEvent.click(screen.getByRole('button', { name: /Copy URL from Prom main/ }));

      expect(
        await screen.findByText(
          'Could not read the URL of the data source "Prom main" (Permission denied); enter it below.'
        )
      ).toBeInTheDocument();
      expect(onOptionsChange).not.toHaveBeenCalled();
    });
  });
});
