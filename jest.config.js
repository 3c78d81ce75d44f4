// Timezone fixed to UTC so date formatting in tests does not depend on the machine.
process.env.TZ = 'UTC';

const base = require('./.config/jest.config');
const { grafanaESModules, nodeModulesToTransform } = require('./.config/jest/utils');

const swcTransform = base.transform['^.+\\.(t|j)sx?$'];
// ESM-only packages that jest must transform (docs/development.md, "Toolchain").
const esModules = [
  ...grafanaESModules,
  'is-any-array',
  'ml-[a-z-]+',
  '@grafana/scenes',
  'yaml',
  '@bsull',
  // Schema validation of emitted manifests (src/engine/scaling tests) and the ESM packages they import.
  'kubernetes-models',
  '@kubernetes-models',
  'is-cidr',
  'cidr-regex',
  'ip-regex',
];

const shared = {
  ...base,
  transform: { ...base.transform, '^.+\\.mjs$': swcTransform },
  transformIgnorePatterns: [nodeModulesToTransform(esModules)],
  resolver: '<rootDir>/jest.resolver.js',
};

module.exports = {
  projects: [
    {
      ...shared,
      displayName: 'unit',
      // The browser harness's stand-ins for Grafana's services run in jsdom like the code they serve; the benchmarks'
      // candidate rules are tested by hand like the engine's.
      testMatch: [
        '<rootDir>/src/**/*.test.{ts,tsx}',
        '<rootDir>/tests/browser/harness/*.test.ts',
        '<rootDir>/bench/**/*.test.ts',
      ],
    },
    {
      ...shared,
      displayName: 'integration',
      testEnvironment: 'node',
      setupFilesAfterEnv: ['<rootDir>/tests/slow-test-timeout.js'],
      testMatch: ['<rootDir>/tests/integration/**/*.test.ts', '<rootDir>/tests/config/**/*.test.ts'],
      testPathIgnorePatterns: ['/node_modules/', '<rootDir>/tests/integration/backend-[^/]*\\.test\\.ts$'],
    },
    {
      ...shared,
      // The backend process's integration tests, a project of their own so CI can run them in the browser chain,
      // which waits on Chromium and Prometheus half the time (package.json test:ci:browser).
      displayName: 'backend',
      testEnvironment: 'node',
      setupFilesAfterEnv: ['<rootDir>/tests/slow-test-timeout.js'],
      testMatch: ['<rootDir>/tests/integration/backend-*.test.ts'],
    },
    {
      ...shared,
      displayName: 'package',
      testEnvironment: 'node',
      setupFilesAfterEnv: ['<rootDir>/tests/slow-test-timeout.js'],
      testMatch: ['<rootDir>/tests/package/**/*.test.ts'],
    },
    {
      ...shared,
      displayName: 'browser',
      testEnvironment: 'node',
      setupFilesAfterEnv: ['<rootDir>/tests/slow-test-timeout.js'],
      testMatch: ['<rootDir>/tests/browser/*.test.ts'],
    },
  ],
};
