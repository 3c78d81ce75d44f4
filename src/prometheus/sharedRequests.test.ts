/** @jest-environment node */
import { JOIN_WINDOW_MS, shareIdenticalRequests } from './sharedRequests';
import type { PrometheusHttpRequest, PrometheusHttpResponse } from './types';

/** A transport whose answers the test releases by hand, recording what it was sent. */
function heldTransport() {
  const sent: Array<{ request: PrometheusHttpRequest; release: (response: PrometheusHttpResponse) => void }> = [];
  const transport = (request: PrometheusHttpRequest) =>
    new Promise<PrometheusHttpResponse>((resolve, reject) => {
      sent.push({ request, release: resolve });
      request.signal?.addEventListener('abort', () => reject(new Error('inner request aborted')));
    });
  return { transport, sent };
}

const query = (params: Record<string, string>, signal?: AbortSignal): PrometheusHttpRequest => ({
  path: '/api/v1/query',
  params,
  timeoutMs: 30_000,
  signal,
});

const answer = { status: 200, body: { status: 'success', data: { resultType: 'vector', result: [] } } };

describe('shareIdenticalRequests', () => {
  it('sends identical requests in flight once, parameters in any order, and gives each caller its own answer', async () => {
    const { transport, sent } = heldTransport();
    const shared = shareIdenticalRequests(transport);
    const first = shared(query({ query: 'up', time: '100' }));
    const second = shared(query({ time: '100', query: 'up' }));
    expect(sent).toHaveLength(1);
    sent[0].release(answer);
    const [a, b] = await Promise.all([first, second]);
    expect(a).toEqual(answer);
    expect(b).toEqual(answer);
    // A caller changing its answer cannot change another's.
    expect(b.body).not.toBe(a.body);
  });

  it('joins a request sent within the join window only, so no caller waits on a deadline much older than its own', () => {
    jest.useFakeTimers();
    try {
      const { transport, sent } = heldTransport();
      const shared = shareIdenticalRequests(transport);
      void shared(query({ query: 'up', time: '100' }));
      jest.advanceTimersByTime(JOIN_WINDOW_MS);
      void shared(query({ query: 'up', time: '100' }));
      expect(sent).toHaveLength(1);
      jest.advanceTimersByTime(1);
      void shared(query({ query: 'up', time: '100' }));
      expect(sent).toHaveLength(2);
      // The newer request is the one joined from then on.
      void shared(query({ query: 'up', time: '100' }));
      expect(sent).toHaveLength(2);
    } finally {
      jest.useRealTimers();
    }
  });

  it('sends requests that differ in path, a parameter or the deadline apart', () => {
    const { transport, sent } = heldTransport();
    const shared = shareIdenticalRequests(transport);
    void shared(query({ query: 'up', time: '100' }));
    void shared(query({ query: 'up', time: '101' }));
    void shared({ ...query({ query: 'up', time: '100' }), path: '/api/v1/query_range' });
    void shared({ ...query({ query: 'up', time: '100' }), timeoutMs: 5_000 });
    expect(sent).toHaveLength(4);
  });

  it('sends a request again once the earlier identical one has been answered or has failed', async () => {
    const sent: string[] = [];
    let fail = true;
    const shared = shareIdenticalRequests(async (request) => {
      sent.push(request.params.query);
      if (fail) {
        throw new Error('connection refused');
      }
      return answer;
    });
    await expect(shared(query({ query: 'up', time: '1' }))).rejects.toThrow('connection refused');
    fail = false;
    await expect(shared(query({ query: 'up', time: '1' }))).resolves.toEqual(answer);
    await expect(shared(query({ query: 'up', time: '1' }))).resolves.toEqual(answer);
    expect(sent).toEqual(['up', 'up', 'up']);
  });

  it('gives every caller the failure of the shared request', async () => {
    const shared = shareIdenticalRequests(() => Promise.reject(new Error('connection refused')));
    const results = await Promise.allSettled([shared(query({ query: 'up' })), shared(query({ query: 'up' }))]);
    expect(results.map((r) => r.status === 'rejected' && (r.reason as Error).message)).toEqual([
      'connection refused',
      'connection refused',
    ]);
  });

  it('lets one caller abort without stopping the request the others wait for', async () => {
    const { transport, sent } = heldTransport();
    const shared = shareIdenticalRequests(transport);
    const leaving = new AbortController();
    const first = shared(query({ query: 'up' }, leaving.signal));
    const second = shared(query({ query: 'up' }));
    leaving.abort();
    await expect(first).rejects.toMatchObject({ name: 'AbortError' });
    expect(sent[0].request.signal?.aborted).toBe(false);
    sent[0].release(answer);
    await expect(second).resolves.toEqual(answer);
  });

  it('aborts the request when every caller has aborted, and the next identical request is sent anew', async () => {
    const { transport, sent } = heldTransport();
    const shared = shareIdenticalRequests(transport);
    const a = new AbortController();
    const b = new AbortController();
    const first = shared(query({ query: 'up' }, a.signal));
    const second = shared(query({ query: 'up' }, b.signal));
    a.abort();
    b.abort();
    await expect(first).rejects.toMatchObject({ name: 'AbortError' });
    await expect(second).rejects.toMatchObject({ name: 'AbortError' });
    expect(sent[0].request.signal?.aborted).toBe(true);
    void shared(query({ query: 'up' }));
    expect(sent).toHaveLength(2);
  });

  it('tells every caller that asks when the shared body has arrived, a caller joining later at once', async () => {
    const { transport, sent } = heldTransport();
    const shared = shareIdenticalRequests(transport);
    const told: string[] = [];
    const first = shared({ ...query({ query: 'up' }), onBodyReceived: () => told.push('first') });
    const second = shared({ ...query({ query: 'up' }), onBodyReceived: () => told.push('second') });
    sent[0].request.onBodyReceived!();
    expect(told).toEqual(['first', 'second']);
    const third = shared({ ...query({ query: 'up' }), onBodyReceived: () => told.push('third') });
    expect(told).toEqual(['first', 'second', 'third']);
    sent[0].release(answer);
    await Promise.all([first, second, third]);
    expect(sent).toHaveLength(1);
    // A request nobody asks this of is sent without it, so the transport parses the answer at once, as always.
    void shared(query({ query: 'other' }));
    expect(sent[1].request.onBodyReceived).toBeUndefined();
  });

  it('refuses a request whose signal has already aborted without sending it', async () => {
    const { transport, sent } = heldTransport();
    const shared = shareIdenticalRequests(transport);
    const aborted = new AbortController();
    aborted.abort();
    await expect(shared(query({ query: 'up' }, aborted.signal))).rejects.toMatchObject({ name: 'AbortError' });
    expect(sent).toHaveLength(0);
  });
});
