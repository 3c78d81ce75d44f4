// Grafana's plugin page tab for an app's configuration page, `/plugins/<pluginId>?page=<config page id>`
// (PluginDetailsBody.tsx): the app loaded as for its pages, and the config page whose id is `page` (without one, the
// first config page, as usePluginDetailsTabs' useDefaultPage gives a user who may edit plugins) rendered with the
// loaded plugin and the URL's query, inside the plugin's context. Another plugin id is "Page not found." here (only
// Headroom's app is installed). Grafana's tabs and plugin header are left out.
import { PluginContextProvider } from '@grafana/data';
import { locationSearchToObject } from '@grafana/runtime';
import React from 'react';
import { useLocation, useParams } from 'react-router';
import { WithLoadedApp } from './AppHost';
import { APP_ID } from './catalog';

export function ConfigHost() {
  const query = locationSearchToObject(useLocation().search);
  const { pluginId } = useParams();
  if (pluginId !== APP_ID) {
    return <p>Page not found.</p>;
  }
  return (
    <WithLoadedApp
      render={({ plugin, meta }) => {
        const pageId = query.page ?? plugin.configPages?.[0]?.id;
        const configPage = plugin.configPages?.find((page) => page.id === pageId);
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
