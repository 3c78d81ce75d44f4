import { runInNewContext } from 'node:vm';
import { BLOB_WORKER_PUBLIC_PATH_GLOBAL, blobWorkerBootstrap, errorReply, workerScriptUrl } from './blobWorker';

const globals = globalThis as unknown as { __webpack_public_path__?: string };

/** Runs a bootstrap as a worker would: records what it loads and the globals it leaves. */
function runBootstrap(source: string) {
  const loaded: string[] = [];
  const self: Record<string, unknown> = {};
  runInNewContext(source, { self, importScripts: (...urls: string[]) => loaded.push(...urls) });
  return { loaded, self };
}

describe('workerScriptUrl', () => {
  afterEach(() => {
    delete globals.__webpack_public_path__;
  });

  // Grafana 11.x–12.1 serve the data source from the app's folder; the build now emits its workers next to it.
  it("gives the URL webpack built for the worker and leaves the module's public path as Grafana served it", () => {
    const publicPath = 'http://grafana.example/public/plugins/headroom-capacity-app/datasource/';
    globals.__webpack_public_path__ = publicPath;
    const url = workerScriptUrl(() => new Worker(new URL('672.js?_cache=32e3a53a', publicPath)));
    expect(url).toBe('http://grafana.example/public/plugins/headroom-capacity-app/datasource/672.js?_cache=32e3a53a');
    expect(globals.__webpack_public_path__).toBe(publicPath);
  });

  it('restores the real Worker, also when building the URL throws', () => {
    const RealWorker = globalThis.Worker;
    expect(() =>
      workerScriptUrl(() => {
        throw new Error('no worker here');
      })
    ).toThrow('no worker here');
    expect(globalThis.Worker).toBe(RealWorker);
  });
});

describe('blobWorkerBootstrap', () => {
  it("passes the starting module's public path and loads the worker bundle, both absolute", () => {
    // Grafana 12.4 with a sub-URL: the data source's module came from
    // http://grafana.example/grafana/public/plugins/headroom-capacity-datasource/module.js?_cache=0.1.0.
    const { loaded, self } = runBootstrap(
      blobWorkerBootstrap(
        'http://grafana.example/grafana/public/plugins/headroom-capacity-datasource/672.js?_cache=32e3a53a',
        'http://grafana.example/grafana/public/plugins/headroom-capacity-datasource/',
        'http://grafana.example/grafana/'
      )
    );
    expect(self[BLOB_WORKER_PUBLIC_PATH_GLOBAL]).toBe(
      'http://grafana.example/grafana/public/plugins/headroom-capacity-datasource/'
    );
    expect(loaded).toEqual([
      'http://grafana.example/grafana/public/plugins/headroom-capacity-datasource/672.js?_cache=32e3a53a',
    ]);
  });

  it("resolves the build's relative fallback public path against the page's base URL", () => {
    const { loaded, self } = runBootstrap(
      blobWorkerBootstrap(
        'public/plugins/headroom-capacity-datasource/672.js',
        'public/plugins/headroom-capacity-datasource/',
        'http://grafana.example/grafana/'
      )
    );
    expect(self[BLOB_WORKER_PUBLIC_PATH_GLOBAL]).toBe(
      'http://grafana.example/grafana/public/plugins/headroom-capacity-datasource/'
    );
    expect(loaded).toEqual(['http://grafana.example/grafana/public/plugins/headroom-capacity-datasource/672.js']);
  });

  it('gives the AMD worker bundle a define that runs it', () => {
    const { self } = runBootstrap(blobWorkerBootstrap('http://h/w.js', 'http://h/', 'http://h/'));
    const factory = jest.fn();
    (self.define as (deps: string[], factory: () => void) => void)([], factory);
    expect(factory).toHaveBeenCalledTimes(1);
  });
});

describe('errorReply', () => {
  const coded = (text: unknown) => Object.assign(new Error('too little history'), { text });

  it('carries a coded error’s code and figures with its message', () => {
    const text = { code: 'insufficient-history-error', haveSteps: 3, needSteps: 48 };
    expect(errorReply(7, coded(text))).toEqual({ id: 7, error: 'too little history', text });
  });

  it('sends the message alone when the code’s figures cannot be copied to the page', () => {
    const reply = errorReply(8, coded({ code: 'x', callback: () => 1 }));
    expect(reply).toEqual({ id: 8, error: 'too little history' });
    expect(() => structuredClone(reply)).not.toThrow();
  });

  it('words a thrown non-error as text', () => {
    expect(errorReply(9, 'stopped')).toEqual({ id: 9, error: 'stopped' });
  });
});
