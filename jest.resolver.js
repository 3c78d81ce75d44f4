// The kubernetes-models packages (schema validation of emitted manifests in tests) publish ES modules behind an
// `exports` map with only an `import` condition, which jest's CommonJS resolver does not try. For those packages
// alone, resolve with `import` added; jest.config.js has them transformed to CommonJS like the other ESM packages.
const IMPORT_ONLY = /^(kubernetes-models|@kubernetes-models\/[^/]+)(\/|$)/;

module.exports = (request, options) =>
  options.defaultResolver(
    request,
    IMPORT_ONLY.test(request) ? { ...options, conditions: [...(options.conditions ?? []), 'import'] } : options
  );
