// Setters and initialisers that @grafana/runtime and @grafana/i18n keep for Grafana itself (their package `exports`
// omit them). buildHost.ts aliases these names to the very files the packages' indexes import, so they act on the
// same module instances.
declare module 'grafana-runtime-internal/PluginPage' {
  import type { PluginPageType } from '@grafana/runtime';
  export function setPluginPage(component: PluginPageType): void;
}

declare module 'grafana-runtime-internal/PanelDataErrorView' {
  export function setPanelDataErrorView(
    component: import('react').ComponentType<import('@grafana/runtime').PanelDataErrorViewProps>
  ): void;
}

declare module 'grafana-i18n-internal' {
  export function initializeI18n(
    options: { language: string; ns?: string[]; module?: { type: 'backend' } },
    regionalFormat: string
  ): Promise<{ language: string }>;
  export function getResolvedLanguage(): string;
  export function addResourceBundle(language: string, namespace: string, resources: object): void;
}
