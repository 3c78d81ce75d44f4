import React from 'react';
import { fireEvent, render, screen } from '@testing-library/react';
import { MemoryRouter, Route, Routes } from 'react-router-dom';
import { PanelPlugin, type AppRootProps, type PanelPluginMeta } from '@grafana/data';
import {
  LocationServiceProvider,
  locationService,
  setDataSourceSrv,
  setPluginImportUtils,
  type DataSourceSrv,
} from '@grafana/runtime';
import { PLUGIN_BASE_URL } from '../../constants';
import type { HeadroomAppSettings } from '../../datasource/appSettings';
import App from './App';

function renderAppAt(path: string) {
  const props = { meta: { jsonData: {} } } as unknown as AppRootProps<HeadroomAppSettings>;
  // Grafana mounts the app root under this route, with its location service in context.
  locationService.push(path);
  return render(
    <LocationServiceProvider service={locationService}>
      <MemoryRouter initialEntries={[path]} future={{ v7_startTransition: true, v7_relativeSplatPath: true }}>
        <Routes>
          <Route path={`${PLUGIN_BASE_URL}/*`} element={<App {...props} />} />
        </Routes>
      </MemoryRouter>
    </LocationServiceProvider>
  );
}

function drawNothingPanel(id: string): PanelPlugin {
  const plugin = new PanelPlugin(() => null);
  plugin.meta = { id, info: { version: '0.0.0' } } as PanelPluginMeta;
  return plugin;
}

// Grafana's host services, which the Overview's variables and panels look up: here a Grafana
// with no Headroom data source and panel plugins that draw nothing.
beforeAll(() => {
  // jsdom has no ResizeObserver; panel chrome measures its title with one.
  global.ResizeObserver = class {
    observe() {}
    unobserve() {}
    disconnect() {}
  };
  // jsdom has no canvas; the Forecast page's text box variables size themselves by measuring their text.
  HTMLCanvasElement.prototype.getContext = (() => ({
    measureText: (text: string) => ({ width: text.length * 8 }),
  })) as unknown as typeof HTMLCanvasElement.prototype.getContext;
  setDataSourceSrv({
    getList: () => [],
    getInstanceSettings: () => undefined,
    get: () => Promise.reject(new Error('no data source')),
  } as unknown as DataSourceSrv);
  setPluginImportUtils({
    importPanelPlugin: (id) => Promise.resolve(drawNothingPanel(id)),
    getPanelPluginFromCache: () => undefined,
  });
});

describe('App', () => {
  it('sends the app root to the Overview', async () => {
    renderAppAt(PLUGIN_BASE_URL);

    expect(await screen.findByTestId('headroom-overview-links')).toBeInTheDocument();
    expect(await screen.findByTestId('headroom-overview-no-datasource')).toHaveTextContent(
      'No Headroom data source yet'
    );
    expect(screen.getByRole('link', { name: 'Fragmentation' })).toHaveAttribute(
      'href',
      `${PLUGIN_BASE_URL}/fragmentation?from=now-24h&to=now`
    );
  });

  it('renders the Fragmentation page with its filters', async () => {
    renderAppAt(`${PLUGIN_BASE_URL}/fragmentation`);

    expect(await screen.findByText('GPU model')).toBeInTheDocument();
  });

  it('renders the Forecast page with its variables', async () => {
    renderAppAt(`${PLUGIN_BASE_URL}/forecast`);

    expect(await screen.findByText('Horizon (hours)')).toBeInTheDocument();
    expect(screen.getByText('Capacity (GPUs)')).toBeInTheDocument();
  });

  it('renders the Efficiency page with its variables', async () => {
    renderAppAt(`${PLUGIN_BASE_URL}/efficiency`);

    expect(await screen.findByText('Priced at')).toBeInTheDocument();
  });

  it('renders the Alerts page', async () => {
    renderAppAt(`${PLUGIN_BASE_URL}/alerts`);

    expect(await screen.findByTestId('headroom-alerts-controls')).toBeInTheDocument();
  });

  it('renders the Plan page with the default plan worked out, a bad input as a message on its field', async () => {
    renderAppAt(`${PLUGIN_BASE_URL}/plan`);

    // Llama 2 7B on A100-80GB bf16 at MFU 0.4: 6 × 7e9 × 2e12 ÷ (312e12 × 0.4 × 3600) = 186,966 GPU-hours.
    expect(await screen.findByTestId('headroom-plan-gpu-hours')).toHaveTextContent('187 k GPU-hours');
    fireEvent.change(screen.getByLabelText(/^MFU/), { target: { value: '1.5' } });
    expect(await screen.findByText(/mfu must be a share in \(0, 1\]/)).toBeInTheDocument();
    expect(screen.queryByTestId('headroom-plan-gpu-hours')).not.toBeInTheDocument();
    // Twice: the training section's MFU, and the rate section, which has no vLLM history here (no data source) and asks
    // for the tokens/s per GPU assumed.
    expect(screen.getAllByText('Correct the marked field to see the answer.')).toHaveLength(2);
    expect(screen.getByText(/No vLLM history in this time range to measure from/)).toBeInTheDocument();
    // The inference section does not depend on the MFU and keeps its answer.
    expect(screen.getByTestId('headroom-plan-gpus-per-replica')).toBeInTheDocument();
  }, 15_000);

  it('renders a not-found page with a way out for unknown paths', async () => {
    renderAppAt(`${PLUGIN_BASE_URL}/no-such-page`);

    expect(await screen.findByTestId('headroom-not-found')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: /go to overview/i })).toHaveAttribute(
      'href',
      `${PLUGIN_BASE_URL}/overview`
    );
  });
});
