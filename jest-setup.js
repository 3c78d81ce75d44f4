// Jest setup provided by Grafana scaffolding
import './.config/jest-setup';

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
