// Grafana's AppRootPage for `/a/<pluginId>/*`: fetch the app's settings, import its module with SystemJS, init it,
// and render its root with the props Grafana passes.
import { AppPlugin, PluginContextProvider, type AppPluginMeta, type NavModel } from '@grafana/data';
import { getBackendSrv, locationSearchToObject } from '@grafana/runtime';
import { Alert, LoadingPlaceholder } from '@grafana/ui';
import React, { useEffect, useState } from 'react';
import { useLocation } from 'react-router';
import { APP_ID } from './catalog';
import { importPluginModule } from './systemjs';

type Loaded = { plugin: AppPlugin; meta: AppPluginMeta } | { error: string };

async function loadApp(): Promise<Loaded> {
  const meta = await getBackendSrv().get<AppPluginMeta>(`/api/plugins/${APP_ID}/settings`);
  const plugin = await importPluginModule<AppPlugin>(meta);
  plugin.init(meta);
  plugin.meta = meta;
  return { plugin, meta };
}

export function AppHost() {
  const location = useLocation();
  const [loaded, setLoaded] = useState<Loaded>();
  const [, setNav] = useState<NavModel>();

  useEffect(() => {
    loadApp().then(setLoaded, (error: unknown) => {
      // Surfaces in the test as a console error as well as on the page.
      console.error('Loading the app plugin failed', error);
      setLoaded({ error: error instanceof Error ? error.message : JSON.stringify(error) });
    });
  }, []);

  if (!loaded) {
    return <LoadingPlaceholder text="Loading app plugin..." />;
  }
  if ('error' in loaded) {
    return <Alert title="App plugin failed to load">{loaded.error}</Alert>;
  }
  const { plugin, meta } = loaded;
  if (!plugin.root) {
    return <Alert title="App plugin has no root page" />;
  }
  return (
    <PluginContextProvider meta={meta}>
      <plugin.root
        meta={meta}
        basename={`/a/${APP_ID}`}
        onNavChanged={setNav}
        query={locationSearchToObject(location.search)}
        path={location.pathname}
      />
    </PluginContextProvider>
  );
}
