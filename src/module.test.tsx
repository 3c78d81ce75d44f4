import React from 'react';
import { render, screen } from '@testing-library/react';
import { MemoryRouter, Route, Routes } from 'react-router-dom';
import type { AppRootProps } from '@grafana/data';
import { LocationServiceProvider, locationService } from '@grafana/runtime';
import { plugin } from './module';

describe('Headroom app plugin', () => {
  it('registers the configuration page', () => {
    expect(plugin.configPages?.map((page) => [page.id, page.title])).toEqual([['configuration', 'Configuration']]);
  });

  it('loads the app root on first use and renders the requested page', async () => {
    const Root = plugin.root!;
    const path = '/a/headroom-capacity-app/efficiency';
    locationService.push(path);

    render(
      <LocationServiceProvider service={locationService}>
        <MemoryRouter initialEntries={[path]} future={{ v7_startTransition: true, v7_relativeSplatPath: true }}>
          <Routes>
            <Route
              path="/a/headroom-capacity-app/*"
              element={<Root {...({ meta: { jsonData: {} } } as unknown as AppRootProps)} />}
            />
          </Routes>
        </MemoryRouter>
      </LocationServiceProvider>
    );

    expect(await screen.findByText('Priced at', {}, { timeout: 15000 })).toBeInTheDocument();
  }, 20000);
});
