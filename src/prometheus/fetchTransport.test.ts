/** @jest-environment node */
import { createFetchTransport } from './fetchTransport';

/** A fetch whose answer's body the test hands over, echoing a credential (as a proxy in front of Prometheus may). */
function heldFetch() {
  let deliver!: (text: string) => void;
  const body = new Promise<string>((resolve) => {
    deliver = resolve;
  });
  const fetch = (async () => ({ status: 200, text: () => body })) as unknown as typeof globalThis.fetch;
  return { fetch, deliver };
}

const echoed = JSON.stringify({ status: 'success', data: { resultType: 'vector', result: [] }, echo: 'tok-7f3a' });
const request = { path: '/api/v1/query', params: { query: 'up' }, timeoutMs: 30_000 };

afterEach(() => jest.restoreAllMocks());

describe('createFetchTransport', () => {
  it('tells the caller the body has arrived, and lets what that starts run, before redacting and parsing it', async () => {
    const events: string[] = [];
    const held = heldFetch();
    const transport = createFetchTransport('http://prom:9090', { fetch: held.fetch, secrets: ['tok-7f3a'] });
    const parse = JSON.parse;
    jest.spyOn(JSON, 'parse').mockImplementation((text: string) => {
      events.push('parsed');
      return parse(text);
    });
    const onBodyReceived = jest.fn(async () => {
      events.push('body received');
      // The next query leaves after several promise steps (the turn's queue, the client, the shared requests).
      for (let step = 0; step < 20; step++) {
        await Promise.resolve();
      }
      events.push('next request sent');
    });
    const answer = transport({ ...request, onBodyReceived });
    held.deliver(echoed);
    const response = await answer;
    expect(events).toEqual(['body received', 'next request sent', 'parsed']);
    expect(onBodyReceived).toHaveBeenCalledTimes(1);
    expect(response.body).toMatchObject({ status: 'success', echo: '[redacted]' });
  });

  it('answers the same without the callback', async () => {
    const held = heldFetch();
    const transport = createFetchTransport('http://prom:9090', { fetch: held.fetch, secrets: ['tok-7f3a'] });
    const answer = transport(request);
    held.deliver(echoed);
    await expect(answer).resolves.toMatchObject({ status: 200, body: { echo: '[redacted]' } });
  });

  it('passes a caller abort before the body arrives through unchanged, without telling the body arrived', async () => {
    const fetch = ((_url: URL, init: { signal: AbortSignal }) =>
      new Promise((_resolve, reject) => {
        init.signal.addEventListener('abort', () => reject(init.signal.reason));
      })) as unknown as typeof globalThis.fetch;
    const transport = createFetchTransport('http://prom:9090', { fetch });
    const abort = new AbortController();
    const onBodyReceived = jest.fn();
    const answer = transport({ ...request, signal: abort.signal, onBodyReceived });
    const reason = new Error('left the page');
    abort.abort(reason);
    await expect(answer).rejects.toThrow();
    expect(onBodyReceived).not.toHaveBeenCalled();
  });
});
