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
}
