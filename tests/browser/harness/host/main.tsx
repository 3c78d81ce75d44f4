// Entry of the page host. boot.ts must stay the first import: it sets the globals @grafana/runtime reads on load.
import './boot';
import { config, locationService, LocationServiceProvider } from '@grafana/runtime';
import { GlobalStyles, PortalContainer, ThemeContext } from '@grafana/ui';
import React, { useLayoutEffect, useState, type ReactNode } from 'react';
import { createRoot } from 'react-dom/client';
import { Route, Router, Routes } from 'react-router';
import { AppHost } from './AppHost';
import { ConfigHost } from './ConfigHost';
import { DashboardHost } from './DashboardHost';
import { DataSourceSettingsHost } from './DataSourceSettingsHost';
import { PanelHost } from './PanelHost';
import { QueryEditorHost } from './QueryEditorHost';
import { startGrafanaServices } from './services';

/** A react-router v6 Router driven by Grafana's history object, so locationService.push and links agree. */
function HistoryRouter({ children }: { children: ReactNode }) {
  const history = locationService.getHistory();
  const [location, setLocation] = useState(history.location);
  useLayoutEffect(() => history.listen(setLocation), [history]);
  return (
    <Router navigator={history} location={location}>
      {children}
    </Router>
  );
}

function HarnessRoot() {
  return (
    <ThemeContext.Provider value={config.theme2}>
      <GlobalStyles />
      <LocationServiceProvider service={locationService}>
        <HistoryRouter>
          <Routes>
            <Route path="/a/:pluginId/*" element={<AppHost />} />
            <Route path="/panel/:panelId" element={<PanelHost />} />
            <Route path="/plugins/:pluginId" element={<ConfigHost />} />
            <Route path="/connections/datasources/edit/:uid" element={<DataSourceSettingsHost />} />
            <Route path="/d/:uid/*" element={<DashboardHost />} />
            <Route path="/query-editor/:uid" element={<QueryEditorHost />} />
          </Routes>
        </HistoryRouter>
      </LocationServiceProvider>
      <PortalContainer />
    </ThemeContext.Provider>
  );
}

// What a link in Grafana's navigation calls (bench:scale --navigate moves between pages through it).
Object.assign(window, { harnessLocationService: locationService });

startGrafanaServices().then(
  () => createRoot(document.getElementById('root')!).render(<HarnessRoot />),
  (error: unknown) => console.error('Starting the harness services failed', error)
);
