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
  'kubernetes-models',
  'is-cidr',
  'cidr-regex',
  'ip-regex',
];

const shared = {
  ...base,
  // kubernetes-models (tests validate emitted manifests with it) exports only an `import` condition, which jest's
  // CommonJS resolver does not read: its subpaths map onto the files themselves, then are transformed as ESM.
  moduleNameMapper: {
    ...base.moduleNameMapper,
    '^@kubernetes-models/(base|validate)$': '<rootDir>/node_modules/@kubernetes-models/$1/dist/index.js',
    '^(@kubernetes-models/[^/]+|kubernetes-models)$': '<rootDir>/node_modules/$1/index.js',
    '^(@kubernetes-models/[^/]+|kubernetes-models)/(.+?)(\\.js)?$': '<rootDir>/node_modules/$1/$2.js',
  },
  transform: { ...base.transform, '^.+\\.mjs$': swcTransform },
  transformIgnorePatterns: [nodeModulesToTransform(esModules)],
};

module.exports = {
  projects: [
    {
      ...shared,
      displayName: 'unit',
      // The browser harness's stand-ins for Grafana's services run in jsdom like the code they serve.
      testMatch: ['<rootDir>/src/**/*.test.{ts,tsx}', '<rootDir>/tests/browser/harness/*.test.ts'],
    },
    {
      ...shared,
      displayName: 'integration',
      testEnvironment: 'node',
      setupFilesAfterEnv: ['<rootDir>/tests/slow-test-timeout.js'],
      testMatch: ['<rootDir>/tests/integration/**/*.test.ts', '<rootDir>/tests/config/**/*.test.ts'],
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
