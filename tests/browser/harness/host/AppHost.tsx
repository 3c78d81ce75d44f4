// Grafana's AppRootPage for `/a/<pluginId>/*`: fetch the app's settings, import its module with SystemJS, init it,
// and render its root with the props Grafana passes.
import { AppPlugin, PluginContextProvider, type AppPluginMeta, type NavModel } from '@grafana/data';
import { getBackendSrv, locationSearchToObject } from '@grafana/runtime';
import { Alert, LoadingPlaceholder } from '@grafana/ui';
import React, { useEffect, useState, type ReactElement } from 'react';
import { useLocation } from 'react-router';
import { APP_ID } from './catalog';
import { importPluginModule } from './systemjs';

interface LoadedApp {
  plugin: AppPlugin;
  meta: AppPluginMeta;
}

async function loadApp(): Promise<LoadedApp> {
  const meta = await getBackendSrv().get<AppPluginMeta>(`/api/plugins/${APP_ID}/settings`);
  const plugin = await importPluginModule<AppPlugin>(meta);
  plugin.init(meta);
  plugin.meta = meta;
  return { plugin, meta };
}

/** The app loaded as Grafana loads it for its pages and its configuration tabs; a placeholder until then. */
export function WithLoadedApp({ render }: { render: (app: LoadedApp) => ReactElement }) {
  const [loaded, setLoaded] = useState<LoadedApp | { error: string }>();

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
  return render(loaded);
}

export function AppHost() {
  const location = useLocation();
  const [, setNav] = useState<NavModel>();

  return (
    <WithLoadedApp
      render={({ plugin, meta }) =>
        plugin.root ? (
          <PluginContextProvider meta={meta}>
            <plugin.root
              meta={meta}
              basename={`/a/${APP_ID}`}
              onNavChanged={setNav}
              query={locationSearchToObject(location.search)}
              path={location.pathname}
            />
          </PluginContextProvider>
        ) : (
          <Alert title="App plugin has no root page" />
        )
      }
    />
  );
}
