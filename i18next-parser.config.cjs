// `npm run i18n:extract`: the plugin's strings, from `t('key', 'English')` and `<Trans i18nKey="key">English</Trans>`
// in src/, written to src/locales/<language>/<app id>.json for each of plugin.json's `languages` (Grafana's
// i18next-parser set-up for its own catalog, public/locales/i18next-parser.config.cjs). en-US gets the English from
// the source; another language gets a new key as "" for a translator to fill (a test fails until it is), and loses
// keys the source no longer has. docs/i18n.md.
const pluginJson = require('./src/plugin.json');

module.exports = {
  defaultNamespace: pluginJson.id,
  locales: pluginJson.languages,
  // The layers that show things in Grafana (docs/architecture.md); the command line has its own catalog (src/cli).
  input: ['src/{pages,panels,datasource}/**/*.{ts,tsx}', 'src/*.tsx', '!src/**/*.test.{ts,tsx}', '!src/**/testing/**'],
  output: 'src/locales/$LOCALE/$NAMESPACE.json',
  defaultValue: (locale, _namespace, _key, value) => (locale === 'en-US' ? value : ''),
  resetDefaultValueLocale: 'en-US',
  pluralSeparator: '_',
  sort: true,
  createOldCatalogs: false,
  keepRemoved: false,
  failOnWarnings: true,
  verbose: false,
};
