import { deserialize, serialize } from 'node:v8';
import type { WorkerRequest } from '../../datasource/blobWorker';
import type * as AnalysisModule from './alertAnalysis';
import type * as RunnerModule from './alertAnalysisRunner';
import type { AlertAnalysisTask } from './alertAnalysisTask';
import type * as HandlerModule from './alertAnalysisWorkerHandler';

const STEP_SECONDS = 300;
const DAY_ROWS = 86_400 / STEP_SECONDS;
const START_SECONDS = Date.UTC(2025, 4, 1) / 1000;

function taskOf(rows: number, sensitivity: AnalysisModule.Sensitivity): AlertAnalysisTask {
  const timestampsSeconds = Array.from({ length: rows }, (_, i) => START_SECONDS + i * STEP_SECONDS);
  const values = timestampsSeconds.map((t, i) => 40 + 25 * Math.cos((2 * Math.PI * t) / 86_400) + ((i * 31) % 7));
  return { timestampsSeconds, values, sensitivity, stepSeconds: STEP_SECONDS };
}

/** postMessage's structured clone (node's v8 serializer implements the same algorithm). */
const clone = <T>(value: T): T => deserialize(serialize(value));

/** Fresh modules per test: the runner remembers a worker that failed, and error classes must match its own. */
let analysis: typeof AnalysisModule;
let runner: typeof RunnerModule;
let handler: typeof HandlerModule;
const realWorker = globalThis.Worker;
const realCreateObjectUrl = URL.createObjectURL;

beforeEach(() => {
  jest.resetModules();
  analysis = require('./alertAnalysis');
  runner = require('./alertAnalysisRunner');
  handler = require('./alertAnalysisWorkerHandler');
  (globalThis as unknown as { __webpack_public_path__: string }).__webpack_public_path__ =
    'public/plugins/headroom-capacity-app/';
  URL.createObjectURL = () => 'blob:bootstrap';
});

afterEach(() => {
  globalThis.Worker = realWorker;
  URL.createObjectURL = realCreateObjectUrl;
  jest.restoreAllMocks();
});

const direct = (task: AlertAnalysisTask) =>
  analysis.analyseSeries(task.timestampsSeconds, task.values, task.sensitivity, task.stepSeconds);

const rejectionOf = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error
  );

/** A worker that runs the real handler in this thread, behind structured clones, and records what it was sent. */
function installInProcessWorker() {
  const received: Array<WorkerRequest<AlertAnalysisTask>> = [];
  const started: string[] = [];
  const repliedIds: number[] = [];
  /** The handler's work on each message, settled once it has replied or dropped the message. */
  const handled: Array<Promise<void>> = [];
  globalThis.Worker = class {
    onmessage?: (event: { data: unknown }) => void;
    onerror?: unknown;
    private handle = handler.alertAnalysisWorkerHandler({
      post: (reply) => {
        repliedIds.push(reply.id);
        setTimeout(() => this.onmessage?.({ data: clone(reply) }), 0);
      },
      yieldToMessages: () => new Promise((resolve) => setTimeout(resolve, 0)),
    });
    constructor(url: string) {
      started.push(url);
    }
    postMessage(request: WorkerRequest<AlertAnalysisTask>) {
      received.push(request);
      handled.push(this.handle(clone(request)));
    }
    terminate() {}
  } as unknown as typeof Worker;
  return { received, started, repliedIds, handled };
}

describe('replayAlertRule', () => {
  it('replays in place where no Worker exists (jsdom), as analyseSeries does', async () => {
    expect(typeof Worker).toBe('undefined');
    const task = taskOf(3 * DAY_ROWS, { ...analysis.DEFAULT_SENSITIVITY, widthMads: 2 });
    expect(await runner.replayAlertRule(task)).toEqual(direct(task));
  });

  it('answers from the worker with the analysis and the errors analyseSeries gives in place', async () => {
    const worker = installInProcessWorker();
    const task = taskOf(3 * DAY_ROWS, analysis.DEFAULT_SENSITIVITY);
    expect(await runner.replayAlertRule(task)).toEqual(direct(task));

    // 288 rows at 5 minutes span 23.9 h: the page's instanceof check must still see TooLittleHistoryError.
    const short = await rejectionOf(runner.replayAlertRule(taskOf(DAY_ROWS, analysis.DEFAULT_SENSITIVITY)));
    expect(short).toBeInstanceOf(analysis.TooLittleHistoryError);
    expect((short as Error).message).toMatch(
      /^The history before the calibration holds 288 samples with values covering 24\.0 h/
    );
    expect(worker.started).toEqual(['blob:bootstrap']);
    expect(worker.received.map((request) => 'task' in request)).toEqual([true, true]);
  });

  it('rejects a stale replay at once and tells the worker, which drops it', async () => {
    const worker = installInProcessWorker();
    const stale = new AbortController();
    const replay = runner.replayAlertRule(taskOf(3 * DAY_ROWS, analysis.DEFAULT_SENSITIVITY), stale.signal);
    stale.abort();
    const error = await rejectionOf(replay);
    expect(error).toBeInstanceOf(DOMException);
    expect((error as DOMException).name).toBe('AbortError');
    expect(worker.received).toEqual([
      expect.objectContaining({ id: 1, task: expect.anything() }),
      { id: 1, cancel: true },
    ]);
    // Both messages fully handled (a reply is posted before the handler settles): the task was dropped unanswered.
    await Promise.all(worker.handled);
    expect(worker.handled).toHaveLength(2);
    expect(worker.repliedIds).toEqual([]);
  });

  it('replays in place, with identical results, when the worker cannot start, and does not try again', async () => {
    const constructed = jest.fn(() => {
      throw new DOMException('Refused to create a worker by the Content Security Policy.', 'SecurityError');
    });
    globalThis.Worker = class {
      constructor() {
        constructed();
      }
    } as unknown as typeof Worker;
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    const task = taskOf(3 * DAY_ROWS, { ...analysis.DEFAULT_SENSITIVITY, direction: 'upper' });

    expect(await runner.replayAlertRule(task)).toEqual(direct(task));
    expect(await runner.replayAlertRule(task)).toEqual(direct(task));
    expect(constructed).toHaveBeenCalledTimes(1);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(await rejectionOf(runner.replayAlertRule(taskOf(DAY_ROWS, analysis.DEFAULT_SENSITIVITY)))).toBeInstanceOf(
      analysis.TooLittleHistoryError
    );
  });

  it('replays in place when the worker answers with an error of its own', async () => {
    globalThis.Worker = class {
      onmessage?: (event: { data: unknown }) => void;
      postMessage(request: WorkerRequest<AlertAnalysisTask>) {
        setTimeout(() => this.onmessage?.({ data: { id: request.id, error: 'The object could not be cloned.' } }), 0);
      }
    } as unknown as typeof Worker;
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    const task = taskOf(3 * DAY_ROWS, analysis.DEFAULT_SENSITIVITY);
    expect(await runner.replayAlertRule(task)).toEqual(direct(task));
    expect(warn).toHaveBeenCalledWith(
      expect.stringMatching(/main thread/),
      new Error('The object could not be cloned.')
    );
  });
});
