/**
 * Text a frame writes in English, also as codes and figures (`meta.custom.texts`), so Headroom's pages and panels word
 * it in the user's language while the frame keeps its English for the backend, dashboards and every viewer
 * (docs/i18n.md). The Grafana-facing layers render each code with the catalog; a cell or notice without one is shown
 * as the frame wrote it.
 */
import type { FleetSource, PlanNote, WhatIfNote, WhatIfRefusal } from '../engine/capacity';
import type { PriceCitation } from '../engine/efficiency';
import type { SkipCause } from '../engine/forecast';
import type { InsufficientHistoryText } from '../engine/series';
import type { BlockedReason } from '../engine/fragmentation';
import type { PrometheusErrorText } from '../prometheus/errors';
import type { InventoryWarning } from '../prometheus/types';
import type { FleetDataErrorText } from '../prometheus/fleetState';
import { redactedFigures } from '../prometheus/redact';
import type { Frame, FrameMeta, FrameNotice } from './types';

/**
 * Why a query that brought no app settings was answered without them (backend/appSettingsReader.ts): Grafana gives the
 * data source no managed service account (`no-account`), `managed_account_org_id` is not a positive whole number
 * (`bad-account-org`, naming it), the query is from an organisation other than the account's (`other-organisation`),
 * Grafana answered the settings request with `status` (`refused`), a proxy in front of Grafana answered 502, 503 or
 * 504 (`grafana-unavailable`: Grafana itself never does on that path), something other than Grafana's API answered
 * at its root URL (`not-grafana`: a login page, a redirect), or nothing did (`unreachable`).
 */
export type AppSettingsUnread = { code: 'app-settings-unread' } & (
  | { reason: 'no-account' }
  | { reason: 'other-organisation'; orgId: string; accountOrgId: string }
  | { reason: 'bad-account-org'; value: string }
  | { reason: 'refused'; status: number }
  | { reason: 'grafana-unavailable'; status: number }
  | { reason: 'not-grafana' }
  | { reason: 'unreachable' }
);

/** A task type learnt from recent requests, as `learntJobText` names it (`m01: 2 GPUs, 16 cores`). */
export interface LearntJob {
  code: 'learnt-job';
  id: string;
  gpuCount: number;
  /** Share of each GPU in percent: 100 for whole GPUs. */
  gpuPercent: number;
  cpuCores: number;
  /** The GPU models it asks for (`A100|H100`), empty for any. */
  gpuSpec: string;
}

/** The defragmentation's notices: why it makes room for a learnt type, why there is no plan, or nothing to move. */
export type DefragNotice =
  | { code: 'defrag-learnt-request' }
  | { code: 'defrag-no-whole-gpu-nodes' }
  | { code: 'defrag-nothing-pending' }
  | { code: 'defrag-fits-now'; node: string };

/** The fragmentation query's notes on its fleet state and workload (fragmentation/fragmentationQuery.ts). */
export type FragmentationContextNotice =
  | { code: 'dcgm-no-pod-labels' }
  | { code: 'state-before-end'; timeSeconds: number }
  | { code: 'no-node-matches' }
  | { code: 'mig-only-pods'; pods: number }
  | { code: 'disagreements'; places: number }
  | { code: 'no-workload'; days: number }
  | { code: 'over-time-workload' }
  | { code: 'over-time-fewer-instants'; gpus: number; instants: number; usualInstants: number };

/** The forecast's own notices (forecastNotices in forecast/forecastQuery.ts). */
export type ForecastNotice =
  | { code: 'short-history'; hours: number }
  | { code: 'fallback' }
  | { code: 'noisy-series'; heldOutHours: number; wapePercent: number; targetPercent: number }
  | { code: 'lstm-backend'; backend: string; heldOutHours: number }
  | { code: 'calendar-events'; names: string[] }
  | { code: 'models-not-used'; models: Array<{ model: string; cause: SkipCause }> };

/**
 * The per-pod queries were read in windows (prometheus/podStep.ts): `pods` in the range at `fineStepSeconds` would have
 * answered more than `maxPoints` points per query.
 */
export interface PodWindowsNotice {
  code: 'pod-windows';
  pods: number;
  windowSeconds: number;
  fineStepSeconds: number;
  maxPoints: number;
}

/** A forecast model's name as the engine writes it (`auto → wmedian(naive,drift,…)`), shown by its short label. */
export interface ModelName {
  code: 'model';
  model: string;
}

/** A row of the launch what-if's totals (`WHAT_IF_ROWS` in forecast/whatIfFrames.ts). */
export type WhatIfRow =
  | 'peak-gpus'
  | 'gpu-hours'
  | 'cost'
  | 'expected-cost-per-hour'
  | 'reserved-gpus'
  | 'on-demand-gpu-hours'
  | 'spot-gpu-hours';

/** A number of the what-if's totals, rounded to its row's decimals; a difference is signed. */
export interface WhatIfValue {
  code: 'what-if-value';
  value: number;
  decimals: number;
  signed: boolean;
}

/**
 * A query's error Headroom words itself (forecast/forecastQuery.ts): too few hours of history in the days read before
 * the end of the range. `target` is the name the frames give it (a preset's English label, or `PromQL result`).
 */
export interface ShortHistoryError {
  code: 'short-history-error';
  target: string;
  hours: number;
  neededHours: number;
  historyDays: number;
}

/** The forecast query's other errors (forecast/forecastQuery.ts), `target` named as in ShortHistoryError. */
export type ForecastQueryError =
  | { code: 'no-history-error'; target: string; historyDays: number; expr: string }
  | { code: 'series-count-error'; target: string; series: number; expr: string }
  | { code: 'horizon-too-long-error'; target: string; horizonHours: number; maxHours: number }
  | { code: 'horizon-hours-error'; maxHours: number; historyDays: number; got: string };

/** How Grafana's resource proxy failed when it answered instead of Prometheus (datasource/grafanaProxyErrors.ts). */
export type GrafanaProxyFailure =
  /** 500 `plugin.requestFailureError` (12.x) or "Failed to call resource" (≤ 11): Prometheus unreachable or too slow. */
  | 'no-answer'
  /** 500 "Unable to load datasource meta data": no data source has the uid (deleted, another organisation). */
  | 'missing'
  /** 403 from Grafana's permission checks. */
  | 'forbidden'
  /** 400 "UID is invalid". */
  | 'invalid-uid'
  /** Another error Grafana itself raised (a body with a `messageId`). */
  | 'grafana'
  /** No HTTP answer from Grafana at all, or none before Headroom's own deadline. */
  | 'no-grafana';

/** Grafana's resource proxy answered instead of Prometheus (datasource/grafanaProxyErrors.ts). */
export interface GrafanaProxyErrorText {
  code: 'grafana-proxy-error';
  failure: GrafanaProxyFailure;
  uid: string;
  /** The data source's name, empty when Grafana does not know the uid. */
  name: string;
  timeoutSeconds: number;
  /** What Grafana answered (empty: nothing), or for `no-grafana` the reason no answer came. */
  status: number | null;
  message: string;
  messageId: string;
}

/** A field of the capacity query that takes a number, by its English label (frames/forecast/runForecastQuery.ts). */
export type NumberField =
  'Capacity (GPUs)' | 'Throughput per GPU' | 'Target utilisation (%)' | 'Cold-start lead (hours)';

/** A field of the efficiency query that takes one of a few words (frames/efficiency/runEfficiencyQuery.ts). */
export type ChoiceField = 'rows' | 'pricing';

/**
 * The other errors Headroom words itself: the forecast and capacity queries' (forecast/runForecastQuery.ts), the
 * fragmentation query's (fragmentation/fragmentationQuery.ts, and the fleet state's missing data), the efficiency
 * query's (efficiency/runEfficiencyQuery.ts) and the alert query's (alert/alertQuery.ts). `target` is named as in
 * ShortHistoryError; `got` is the text as typed.
 */
export type QueryErrorText =
  | { code: 'no-value-before-end-error'; target: string }
  | { code: 'number-field-error'; label: NumberField; min: number; max: number | null; got: string }
  | { code: 'no-gpu-node-error'; fromSeconds: number; toSeconds: number; selector: string }
  | { code: 'workload-days-error'; got: string }
  | {
      code: 'unknown-view-error';
      queryType: 'inventory' | 'fragmentation' | 'efficiency';
      view: string;
      allowed: string[];
    }
  /** `inEditor`: the browser's query, `allowed` as its editor names them; else the names a saved model may hold. */
  | { code: 'unknown-query-type-error'; queryType: string; allowed: string[]; inEditor: boolean }
  | { code: 'no-tensor-pods-error' }
  | { code: 'no-gpu-pods-error' }
  | { code: 'choice-error'; field: ChoiceField; allowed: string[]; got: string }
  | { code: 'unknown-measure-error'; measure: string; allowed: string[] }
  | { code: 'within-days-error'; maxDays: number; got: string }
  | { code: 'no-capacity-error' }
  | { code: 'monthly-budget-error'; got: string }
  | { code: 'no-monthly-budget-error' };

/**
 * Where a cost-mix row's prices come from (forecast/capacityFrames.ts, Price source): a shipped list price by its
 * citation (`List price: Google Cloud …`), or one an administrator entered; or why the row has none. A source someone
 * typed has no code: it is shown as typed.
 */
export type PriceSourceText =
  | { code: 'list-price'; citation: PriceCitation }
  | { code: 'entered-price' }
  | { code: 'no-price'; gpuModel: string; sharePercent: number };

/** No reserved price below on-demand for a priced model (engine/capacity/costMix.ts): no reserved recommendation. */
export interface NoReservedPrice {
  code: 'no-reserved-price';
  gpuModel: string;
  /** Undefined: the price list has none. */
  reservedPerGpuHour?: number;
  onDemandPerGpuHour: number;
  /** The price's source as written, and its code when Headroom words it. */
  source: string;
  sourceText: PriceSourceText | null;
}

/** A capacity plan's note on one model of the cost mix (`Cost mix: …`, engine/capacity/plan.ts). */
export interface CostMixNote {
  code: 'cost-mix-note';
  note: NoReservedPrice | Extract<PriceSourceText, { code: 'no-price' }>;
}

/** A capacity plan's note (engine/capacity/plan.ts), those on a cost mix model worded as `CostMixNote`. */
export type CapacityPlanNote = Exclude<PlanNote, { code: 'cost-mix' }>;

/** The cost mix's note on where the fleet's GPU models come from (`GPU models priced from …`). */
export interface PricedFrom {
  code: 'priced-from';
  source: FleetSource;
}

export type FrameText =
  | AppSettingsUnread
  | BlockedReason
  | CapacityPlanNote
  | PricedFrom
  | PriceSourceText
  | NoReservedPrice
  | CostMixNote
  | LearntJob
  | DefragNotice
  | FragmentationContextNotice
  | ForecastNotice
  | PodWindowsNotice
  | ModelName
  | { code: 'what-if-row'; row: WhatIfRow }
  | WhatIfValue
  | ShortHistoryError
  | InsufficientHistoryText
  | ForecastQueryError
  | QueryErrorText
  | PrometheusErrorText
  | FleetDataErrorText
  | GrafanaProxyErrorText
  | InventoryWarning
  | WhatIfNote
  | WhatIfRefusal;

/** A notice with the code of its text, when Headroom words it itself. */
export interface CodedNotice extends FrameNotice {
  code?: FrameText;
}

/** The notices as a frame's `meta.notices` (severity and text only) and the codes of their texts. */
export function splitNotices(notices: readonly CodedNotice[]): {
  notices: FrameNotice[];
  texts: Record<string, FrameText>;
} {
  return {
    notices: notices.map(({ severity, text }) => ({ severity, text })),
    texts: Object.fromEntries(notices.flatMap(({ text, code }) => (code ? [[text, code]] : []))),
  };
}

/**
 * `meta.custom.texts`: per field name, a text for each row (null: the cell as it is); per notice's English text, its
 * text; per error message of the query, its text.
 */
export interface FrameTexts {
  cells?: Record<string, Array<FrameText | null>>;
  notices?: Record<string, FrameText>;
  errors?: Record<string, FrameText>;
}

/** An error whose message has a code, when Headroom words it itself; the message stays English. */
export interface CodedError extends Error {
  readonly text: FrameText;
}

function isCodedError(error: unknown): error is CodedError {
  return error instanceof Error && typeof (error as Partial<CodedError>).text === 'object';
}

/** Name of the frame that carries the code of a failed query's error message. */
export const ERROR_TEXT_FRAME = 'Error text';

/**
 * Beside a failed query's error `message` (as the answer writes it), a frame with no fields that carries the code of
 * that message, when the error has one; none otherwise. A failed answer keeps its frames in Grafana's server and in
 * the browser (Grafana's Azure Data Explorer data source answers an error with such a frame, its meta the executed
 * query and Kusto's error), and the error itself is one string there. `redact` is what made `message` from the
 * error's own (its credentials redacted): the code's figures quote the same answers, so they pass through it too.
 */
export function errorTextFrames(
  refId: string,
  message: string,
  error: unknown,
  redact: (text: string) => string
): Frame[] {
  return isCodedError(error)
    ? [
        withTexts(
          { name: ERROR_TEXT_FRAME, refId, fields: [] },
          { errors: { [message]: redactedFigures(error.text, redact) } }
        ),
      ]
    : [];
}

/** The defragmentation's notices in English, as the frames write them. */
export const DEFRAG_NOTICES = {
  'defrag-learnt-request':
    'No GPU pod is pending: the plan makes room for the largest job type learnt from recent requests.',
  'defrag-no-whole-gpu-nodes': 'No node in view has whole GPUs to rearrange.',
  'defrag-nothing-pending': 'No GPU pod is pending and no workload was learnt: there is nothing to make room for.',
  'defrag-fits-now': (node: string) => `It fits on ${node} now; nothing to move.`,
} as const;

/** A step as the notices write it: `15 s`, `10 min`, `2 h`. */
export function stepText(seconds: number): string {
  const round = (x: number) => x.toLocaleString('en-US', { maximumFractionDigits: 1 });
  return seconds < 60
    ? `${round(seconds)} s`
    : seconds < 3600
      ? `${round(seconds / 60)} min`
      : `${round(seconds / 3600)} h`;
}

/** What an answer without the app's settings used instead, at the end of each unread notice. */
const WITHOUT_SETTINGS =
  'the shipped list prices, no business calendar and only a monthly budget entered in the query (if any) were used';

/** The unread notice in English, as the backend writes it. */
export function appSettingsUnreadText(unread: AppSettingsUnread): string {
  switch (unread.reason) {
    case 'no-account':
      return (
        `This query brought no app settings and Grafana gives the data source no service account to read them, so ` +
        `${WITHOUT_SETTINGS}. Turn on Grafana's managed service accounts, or write the rule from Headroom's Alerts page.`
      );
    case 'other-organisation':
      return (
        `The app's settings are read with the service account Grafana manages in its default organisation ` +
        `(${unread.accountOrgId}); this query is from organisation ${unread.orgId}, so ${WITHOUT_SETTINGS}. When ` +
        `Grafana's auto_assign_org_id is not 1, set managed_account_org_id to it under ` +
        `[plugin.headroom-capacity-datasource].`
      );
    case 'bad-account-org':
      return (
        `managed_account_org_id under [plugin.headroom-capacity-datasource] is "${unread.value}", not an organisation ` +
        `id (a whole number from 1), so the app's settings were not read and ${WITHOUT_SETTINGS}. Set it to the id of ` +
        "Grafana's default organisation (auto_assign_org_id), or remove it for organisation 1."
      );
    case 'refused':
      return (
        `Grafana answered ${unread.status} when the data source asked for the app's settings, so ` +
        `${WITHOUT_SETTINGS}. Its service account needs plugins.app:access on the Headroom app.`
      );
    case 'grafana-unavailable':
      return (
        `Grafana was unavailable when the data source asked for the app's settings (the proxy in front of it answered ` +
        `${unread.status}: Grafana is usually restarting or overloaded), so ${WITHOUT_SETTINGS}. The settings are ` +
        'asked for again a minute later.'
      );
    case 'not-grafana':
      return (
        `Something other than Grafana's API answered at Grafana's root URL (a login page or a redirect) when the data ` +
        `source asked for the app's settings, so ${WITHOUT_SETTINGS}. Set root_url to an address of Grafana itself ` +
        'that its plugins can reach.'
      );
    case 'unreachable':
      return `Grafana did not answer at its root URL when the data source asked for the app's settings, so ${WITHOUT_SETTINGS}.`;
  }
}

/** The per-pod windows' notice in English, as the frames write it. */
export function podWindowsText({ pods, windowSeconds, fineStepSeconds, maxPoints }: PodWindowsNotice): string {
  return (
    `${pods.toLocaleString('en-US')} pods held GPUs in this range: each pod's activity is read as the mean of every ` +
    `${stepText(windowSeconds)} instead of a sample every ${stepText(fineStepSeconds)}, so that no per-pod query ` +
    `answers more than ${maxPoints.toLocaleString('en-US')} points. GPU-hours and cost are unchanged; the idle rule ` +
    `judges the ${stepText(windowSeconds)} means.`
  );
}

/** The task type's name in English, as the frames and the command line write it. */
export function learntJobText(job: LearntJob): string {
  const gpus =
    job.gpuCount === 0
      ? 'CPU only'
      : job.gpuPercent === 100
        ? `${job.gpuCount} GPU${job.gpuCount === 1 ? '' : 's'}`
        : `${job.gpuPercent} % GPU`;
  return `${job.id}: ${gpus}, ${job.cpuCores} cores${job.gpuSpec ? `, ${job.gpuSpec}` : ''}`;
}

/** A what-if number in English (`16,128`, `+15`, `−12.50`, `±0`), as the frame writes it. */
export function whatIfValueText({ value, decimals, signed }: WhatIfValue): string {
  const text = Math.abs(value).toLocaleString('en-US', {
    minimumFractionDigits: decimals,
    maximumFractionDigits: decimals,
  });
  return signedText(value, text, signed);
}

/** `text` (the number's magnitude) with the sign the what-if writes: `−` below 0, and `+` / `±` on a difference. */
export function signedText(value: number, text: string, signed: boolean): string {
  return (value < 0 ? '−' : signed ? (value > 0 ? '+' : '±') : '') + text;
}

/** The frame with `texts` added to its `meta.custom`. */
export function withTexts(frame: Frame, texts: FrameTexts): Frame {
  const meta: FrameMeta = frame.meta ?? {};
  return { ...frame, meta: { ...meta, custom: { ...meta.custom, texts } } };
}
