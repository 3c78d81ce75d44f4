// Grafana's plugin page tab for an app's configuration page, `/plugins/<pluginId>?page=<config page id>`
// (PluginDetailsBody.tsx): the app loaded as for its pages, and the config page whose id is `page` rendered with the
// loaded plugin and the URL's query, inside the plugin's context. Grafana's tabs and plugin header are left out.
import { PluginContextProvider } from '@grafana/data';
import { locationSearchToObject } from '@grafana/runtime';
import React from 'react';
import { useLocation } from 'react-router';
import { WithLoadedApp } from './AppHost';

export function ConfigHost() {
  const query = locationSearchToObject(useLocation().search);
  return (
    <WithLoadedApp
      render={({ plugin, meta }) => {
        const configPage = plugin.configPages?.find((page) => page.id === query.page);
        return configPage ? (
          <PluginContextProvider meta={meta}>
            <configPage.body plugin={plugin} query={query} />
          </PluginContextProvider>
        ) : (
          <p>Page not found.</p>
        );
      }}
    />
  );
}
