import { defineConfig } from 'eslint/config';
import grafanaI18n from '@grafana/i18n/eslint-plugin';
import boundaries from 'eslint-plugin-boundaries';
import baseConfig from './.config/eslint.config.mjs';
import { layerPolicies, LAYERS, packageRestrictions } from './eslint/layers.mjs';

export default defineConfig([
  {
    ignores: [
      '**/logs',
      '**/*.log',
      '**/npm-debug.log*',
      '**/yarn-debug.log*',
      '**/yarn-error.log*',
      '**/.pnpm-debug.log*',
      '**/node_modules/',
      '.yarn/cache',
      '.yarn/unplugged',
      '.yarn/build-state.yml',
      '.yarn/install-state.gz',
      '**/.pnp.*',
      '**/pids',
      '**/*.pid',
      '**/*.seed',
      '**/*.pid.lock',
      '**/lib-cov',
      '**/coverage',
      '**/dist/',
      '**/artifacts/',
      '**/work/',
      '**/ci/',
      'test-results/',
      'playwright-report/',
      'blob-report/',
      'playwright/.cache/',
      'playwright/.auth/',
      '**/.idea',
      '**/.eslintcache',
    ],
  },
  ...baseConfig,
  {
    // The scaffold's config only names src/; tests, benchmarks, scripts and the harness are code too.
    files: ['tests/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts'],
  },
  {
    // The layers of docs/architecture.md: a wrong import fails lint, and so CI.
    files: ['src/**/*.{ts,tsx}'],
    plugins: { boundaries },
    settings: {
      'boundaries/elements': LAYERS,
      // Two layers are single files (`mode: 'file'`), which boundaries 7 still supports but warns about.
      'boundaries/legacy-warnings': false,
      'import/resolver': { typescript: { project: './tsconfig.json' } },
    },
    rules: {
      'boundaries/dependencies': ['error', { default: 'allow', policies: layerPolicies }],
      'boundaries/no-unknown-files': 'error',
    },
  },
  ...packageRestrictions,
  {
    // Grafana's rule for plugin translations (docs/i18n.md): text in JSX and in label-like props must go through
    // `t()` or `<Trans>`. On for the parts translated so far; docs/i18n.md lists what is left.
    files: [
      'src/module.tsx',
      'src/pages/{App,Overview,Fragmentation,Efficiency,AppConfig,Plan,Forecast,Alerts,shared}/**/*.{ts,tsx}',
      'src/panels/**/*.{ts,tsx}',
      'src/datasource/ConfigEditor.tsx',
      'src/datasource/QueryEditor.tsx',
    ],
    ignores: ['**/*.test.{ts,tsx}', 'src/panels/shared/panelPropsForTest.ts'],
    plugins: { '@grafana/i18n': grafanaI18n },
    rules: {
      '@grafana/i18n/no-untranslated-strings': ['error', { calleesToIgnore: ['^css$', 'use[A-Z].*'] }],
      '@grafana/i18n/no-translation-top-level': 'error',
    },
  },
]);
