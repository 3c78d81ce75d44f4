// i18next prints an advertisement on its first init outside production; test logs have no use for it.
process.env.I18NEXT_NO_SUPPORT_NOTICE = '1';

// Jest setup provided by Grafana scaffolding; its browser mocks only make sense under jsdom, and
// tests marked `@jest-environment node` (engine, simulator, prometheus) run without a window.
if (typeof window !== 'undefined') {
  require('./.config/jest-setup');

  // jsdom lacks IntersectionObserver, which @grafana/scenes uses.
  class IntersectionObserverStub {
    observe() {}
    unobserve() {}
    disconnect() {}
    takeRecords() {
      return [];
    }
  }
  global.IntersectionObserver = IntersectionObserverStub;

  // jsdom lacks structuredClone, which every browser Grafana supports has; V8's serializer is the same algorithm.
  if (typeof global.structuredClone !== 'function') {
    const v8 = require('node:v8');
    global.structuredClone = (value) => v8.deserialize(v8.serialize(value));
  }
}

// Property tests draw from a fixed seed so that a CI run is reproducible; FC_SEED=<n> explores other draws.
require('fast-check').configureGlobal({ seed: Number(process.env.FC_SEED ?? 20261126) });
