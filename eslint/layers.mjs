import { builtinModules } from 'node:module';

/**
 * The layers of docs/architecture.md as eslint-plugin-boundaries elements and policies. A layer may import itself
 * and the layers listed below it; Grafana, React and RxJS only in the Grafana-facing layers; Node's built-in
 * modules only where code runs in Node (the command line, the simulator, the data source's backend process) and in
 * tests. No layer lists `backend`: it is a process of its own, which nothing imports.
 */

/** Each folder under src/ is one layer; `constants` is the plugin's id and routes, readable from every layer but the engine. */
export const LAYERS = [
  { type: 'engine', pattern: 'src/engine/**', partialMatch: false },
  { type: 'prometheus', pattern: 'src/prometheus/**', partialMatch: false },
  { type: 'alerting', pattern: 'src/alerting/**', partialMatch: false },
  { type: 'datasource', pattern: 'src/datasource/**', partialMatch: false },
  { type: 'panels', pattern: 'src/panels/**', partialMatch: false },
  { type: 'pages', pattern: 'src/pages/**', partialMatch: false },
  { type: 'cli', pattern: 'src/cli/**', partialMatch: false },
  { type: 'simulator', pattern: 'src/simulator/**', partialMatch: false },
  { type: 'frames', pattern: 'src/frames/**', partialMatch: false },
  { type: 'backend', pattern: 'src/backend/**', partialMatch: false },
  { type: 'constants', pattern: ['src/constants.ts', 'src/plugin.json'], mode: 'file' },
  { type: 'app', pattern: ['src/module.tsx', 'src/module.test.tsx'], mode: 'file' },
];

/** What each layer may import besides itself. */
export const ALLOWED_BELOW = {
  engine: [],
  prometheus: ['engine'],
  alerting: ['prometheus', 'engine', 'constants'],
  datasource: ['frames', 'alerting', 'prometheus', 'engine', 'constants'],
  panels: ['datasource', 'prometheus', 'engine', 'constants'],
  pages: ['panels', 'datasource', 'alerting', 'prometheus', 'engine', 'constants'],
  cli: ['frames', 'alerting', 'prometheus', 'engine', 'simulator', 'constants'],
  simulator: ['engine'],
  frames: ['prometheus', 'engine'],
  backend: ['frames', 'alerting', 'prometheus', 'engine', 'constants'],
  constants: ['constants'],
  app: ['pages', 'datasource', 'constants'],
};

export const layerPolicies = Object.entries(ALLOWED_BELOW).map(([layer, below]) => ({
  from: { element: { type: layer } },
  disallow: { to: { element: { types: { noneOf: [layer, ...below] } } } },
}));

const FRAMEWORK_PACKAGES = ['@grafana/*', 'react', 'react-*', 'rxjs', 'rxjs/*', '@emotion/*', '@testing-library/*'];
const framework = {
  group: FRAMEWORK_PACKAGES,
  message: 'Grafana, React and RxJS belong in datasource/, panels/ and pages/ (docs/architecture.md).',
};
const nodeBuiltins = {
  regex: `^(node:.*|(${builtinModules.join('|')})(/.*)?)$`,
  message:
    "Node's built-in modules run only in cli/, simulator/ and backend/ (and tests); this code also runs in the browser.",
};

/** Package imports each layer may not make, as `no-restricted-imports` blocks. */
export const packageRestrictions = [
  {
    files: ['src/{engine,prometheus,alerting,frames}/**/*.{ts,tsx}'],
    ignores: ['**/*.test.{ts,tsx}'],
    rules: { 'no-restricted-imports': ['error', { patterns: [framework, nodeBuiltins] }] },
  },
  {
    files: ['src/{cli,simulator,backend}/**/*.{ts,tsx}', 'src/{engine,prometheus,alerting,frames}/**/*.test.{ts,tsx}'],
    rules: { 'no-restricted-imports': ['error', { patterns: [framework] }] },
  },
  {
    files: ['src/{datasource,panels,pages}/**/*.{ts,tsx}', 'src/*.{ts,tsx}'],
    ignores: ['**/*.test.{ts,tsx}'],
    rules: { 'no-restricted-imports': ['error', { patterns: [nodeBuiltins] }] },
  },
];
