import React, { Suspense, lazy } from 'react';
import { AppPlugin, type AppRootProps } from '@grafana/data';
import { LoadingPlaceholder } from '@grafana/ui';
import type { HeadroomAppSettings } from './datasource/appSettings';
import type { AppConfigProps } from './pages/AppConfig/AppConfig';

// Loaded on first use so that Grafana's start-up only pays for the plugin's entry point. Translations are bound
// before either renders: a development build's `t()` throws when called before initPluginTranslations.
async function translated<T>(load: () => Promise<T>): Promise<T> {
  const { initTranslations } = await import('./pages/App/initTranslations');
  await initTranslations();
  return load();
}
const LazyApp = lazy(() => translated(() => import('./pages/App/App')));
const LazyAppConfig = lazy(() => translated(() => import('./pages/AppConfig/AppConfig')));

// The placeholders show while the translations load, before `t` may be called: they stay in English.
const App = (props: AppRootProps<HeadroomAppSettings>) => (
  // eslint-disable-next-line @grafana/i18n/no-untranslated-strings
  <Suspense fallback={<LoadingPlaceholder text="Loading Headroom…" />}>
    <LazyApp {...props} />
  </Suspense>
);

const AppConfig = (props: AppConfigProps) => (
  // eslint-disable-next-line @grafana/i18n/no-untranslated-strings
  <Suspense fallback={<LoadingPlaceholder text="Loading settings…" />}>
    <LazyAppConfig {...props} />
  </Suspense>
);

export const plugin = new AppPlugin<HeadroomAppSettings>().setRootPage(App).addConfigPage({
  title: 'Configuration',
  icon: 'cog',
  body: AppConfig,
  id: 'configuration',
});
