// A frame's English text worded in the user's language from the codes and figures beside it (`meta.custom.texts`,
// docs/i18n.md). In panels/ so both the panels and the pages (which may import panels/) word it the same way.
import { t } from '@grafana/i18n';
import type { DataFrame, DataQueryError, Field, QueryResultMetaNotice } from '@grafana/data';
import {
  frameTextsOf,
  signedText,
  type AppSettingsUnread,
  type BlockedReason,
  type CapacityPlanNote,
  type FrameText,
  type LearntJob,
  type NoReservedPrice,
  type WhatIfRow,
} from '../frameTexts';
import { shownTargetName } from '../targetLabels';
import type { FleetSource } from '../../engine/capacity';
import type { PriceCitation, PriceNote } from '../../engine/efficiency';
import type { SkipCause } from '../../engine/forecast';
import { modelLabel, type CombinationRule, type ModelLabel } from '../../engine/forecast/modelLabel';
import { isoSeconds } from '../../engine/series/timeText';
import { errorText } from './errorTexts';
import { inventoryWarning } from './inventoryWarnings';
import { whatIfText } from './whatIfTexts';
import { fixed, formatNumber, formatPercent, listSeparator } from './localeNumbers';

/**
 * `text` in the user's language. Names (nodes, GPU models, task ids) and the parts put together are not HTML-escaped:
 * React escapes what it renders.
 */
export function frameText(text: FrameText): string {
  switch (text.code) {
    case 'learnt-job':
      return learntJob(text);
    case 'model':
      return modelText(modelLabel(text.model));
    case 'what-if-row':
      return whatIfRow(text.row);
    case 'what-if-value':
      return signedText(text.value, fixed(Math.abs(text.value), text.decimals), text.signed);
    case 'defrag-learnt-request':
      return t(
        'fragmentation.defrag.learnt-request',
        'No GPU pod is pending: the plan makes room for the largest job type learnt from recent requests.'
      );
    case 'defrag-no-whole-gpu-nodes':
      return t('fragmentation.defrag.no-whole-gpu-nodes', 'No node in view has whole GPUs to rearrange.');
    case 'defrag-nothing-pending':
      return t(
        'fragmentation.defrag.nothing-pending',
        'No GPU pod is pending and no workload was learnt: there is nothing to make room for.'
      );
    case 'defrag-fits-now':
      return t('fragmentation.defrag.fits-now', 'It fits on {{node}} now; nothing to move.', {
        node: text.node,
        interpolation: { escapeValue: false },
      });
    case 'no-history-error':
      return t(
        'forecast.errors.no-history',
        '{{target}}: Prometheus returned no data for the {{days}} days before the end of the range. Check the expression and the time range. Query: {{expr}}',
        {
          target: shownTargetName(text.target),
          days: formatNumber(text.historyDays),
          expr: text.expr,
          interpolation: { escapeValue: false },
        }
      );
    case 'series-count-error':
      return t(
        'forecast.errors.series-count',
        '{{target}}: the expression returns {{series}} series; a forecast needs one. Aggregate it, e.g. sum(...) or sum by (...) with a filter. Query: {{expr}}',
        {
          target: shownTargetName(text.target),
          series: formatNumber(text.series),
          expr: text.expr,
          interpolation: { escapeValue: false },
        }
      );
    case 'horizon-too-long-error':
      return t(
        'forecast.errors.horizon-too-long',
        '{{target}}: the horizon ({{horizon}}) is longer than the history before the end of the range ({{history}}): a forecast looks at most as far ahead as its history looks back, because beyond that its backtest cannot say how wrong it gets. Choose a horizon of at most {{hours}} hours, or move the range to where there is more history.',
        {
          target: shownTargetName(text.target),
          horizon: duration(text.horizonHours),
          history: duration(text.maxHours),
          hours: formatNumber(text.maxHours),
          interpolation: { escapeValue: false },
        }
      );
    case 'horizon-hours-error':
      return t(
        'forecast.errors.horizon-hours',
        'The horizon must be a whole number of hours from 1 to {{hours}} (the {{days}} days of history a forecast reads: a forecast looks at most as far ahead as its history looks back, because beyond that its backtest cannot say how wrong it gets), got "{{got}}".',
        {
          hours: formatNumber(text.maxHours),
          days: formatNumber(text.historyDays),
          got: text.got,
          interpolation: { escapeValue: false },
        }
      );
    case 'dcgm-no-pod-labels':
      return t(
        'fragmentation.context.dcgm-no-pod-labels',
        "DCGM series carry no pod labels, so which GPU is held is unknown: each node counts allocatable minus requested GPUs as fully free. Enable dcgm-exporter's Kubernetes pod mapping."
      );
    case 'state-before-end':
      return t(
        'fragmentation.context.state-before-end',
        'The newest fleet state is from {{time}}, before the end of the time range.',
        { time: new Date(text.timeSeconds * 1000).toISOString() }
      );
    case 'no-node-matches':
      return t('fragmentation.context.no-node-matches', 'No GPU node matches the node and GPU model filters.');
    case 'mig-only-pods':
      return t(
        'fragmentation.context.mig-only-pods',
        '{{pods}} pod(s) asking only for MIG instances are not part of the FGD workload.',
        { pods: formatNumber(text.pods) }
      );
    case 'disagreements':
      return t(
        'fragmentation.context.disagreements',
        'kube-state-metrics and DCGM disagree in {{places}} place(s); run `headroom fragmentation --prometheus` to list them.',
        { places: formatNumber(text.places) }
      );
    case 'no-workload':
      return t(
        'fragmentation.context.no-workload',
        'No pod asked for whole GPUs in the {{days}} days before the state, so the workload FGD measures against cannot be learnt: fragmented GPUs are not shown. Widen the workload days or the namespace filter.',
        { days: formatNumber(text.days) }
      );
    case 'over-time-workload':
      return t(
        'fragmentation.context.over-time-workload',
        'FGD at each instant is measured against the workload learnt before the newest state.'
      );
    case 'over-time-fewer-instants':
      return t(
        'fragmentation.context.over-time-fewer-instants',
        'The fleet has {{gpus}} GPUs, so the state is read at {{instants}} instants over the range instead of {{usualInstants}}, to bound what one query answers.',
        {
          gpus: formatNumber(text.gpus),
          instants: formatNumber(text.instants),
          usualInstants: formatNumber(text.usualInstants),
        }
      );
    case 'short-history':
      return t(
        'forecast.notices.short-history',
        'Short history: {{duration}} of data. The weekly rhythm needs two weeks to be learnt; treat forecasts beyond a few days with care.',
        { duration: duration(text.hours) }
      );
    case 'fallback':
      return t(
        'forecast.notices.fallback',
        'Fallback: no model passed the backtest on this history, so the forecast repeats the last value.'
      );
    case 'noisy-series':
      return t(
        'forecast.notices.noisy-series',
        'Noisy series: on the last {{duration}} held out, the forecast was off by {{wape}} (WAPE), above the {{target}} capacity-planning target. Small or bursty fleets are noisier than large ones: plan on the upper interval, not the mean.',
        {
          duration: duration(text.heldOutHours),
          wape: formatPercent(text.wapePercent),
          target: t('panels.format.percent', '{{value}} %', { value: formatNumber(text.targetPercent) }),
          interpolation: { escapeValue: false },
        }
      );
    case 'lstm-backend':
      return t(
        'forecast.notices.lstm-backend',
        'LSTM trained in the browser on the TensorFlow.js {{backend}} backend; its intervals are calibrated on one held-out window of {{duration}}, so treat them as rough. Its network forecasts the whole horizon at once, so a different horizon gives a different forecast of the first hours (auto and the other models do not change them).',
        { backend: text.backend, duration: duration(text.heldOutHours), interpolation: { escapeValue: false } }
      );
    case 'calendar-events':
      return t('forecast.notices.calendar-events', 'Business calendar events in the horizon: {{names}}.', {
        names: text.names.join(listSeparator()),
        interpolation: { escapeValue: false },
      });
    case 'models-not-used':
      return modelsNotUsed(text.models);
    case 'list-price':
      return listPriceSource(text.citation);
    case 'entered-price':
      return t('forecast.cost-mix.entered-price', 'Entered by an administrator');
    case 'no-price':
      return t('forecast.cost-mix.no-price', 'no price for {{model}}: its {{percent}} of the GPUs is not costed', {
        model: text.gpuModel,
        percent: t('panels.format.percent', '{{value}} %', { value: formatNumber(text.sharePercent, 1) }),
        interpolation: { escapeValue: false },
      });
    case 'no-reserved-price':
      return noReservedPrice(text);
    case 'cost-mix-note':
      return t('forecast.cost-mix.plan-note', 'Cost mix: {{note}}.', {
        note: frameText(text.note),
        interpolation: { escapeValue: false },
      });
    case 'short-history-error':
      return t(
        'forecast.errors.short-history',
        'insufficient history: {{target}} has {{hours}} hours of data in the {{days}} days before the end of the range; a forecast needs at least {{needed}}. Move the range to where the metric exists, or wait for more history (have {{hours}} steps, need at least {{needed}})',
        {
          target: shownTargetName(text.target),
          hours: formatNumber(text.hours),
          days: formatNumber(text.historyDays),
          needed: formatNumber(text.neededHours),
          interpolation: { escapeValue: false },
        }
      );
    case 'not-gpus':
    case 'no-throughput':
    case 'throughput-not-calibrated':
    case 'capacity-not-convertible':
    case 'unknown-gpu-models':
    case 'no-prices':
      return planNote(text);
    case 'priced-from':
      return t('forecast.plan.priced-from', 'GPU models priced from {{source}}.', {
        source: fleetSource(text.source),
        interpolation: { escapeValue: false },
      });
    case 'app-settings-unread':
      return appSettingsUnread(text);
    case 'pod-windows':
      return t(
        'efficiency.notices.pod-windows',
        "{{pods}} pods held GPUs in this range: each pod's activity is read as the mean of every {{window}} instead of a sample every {{step}}, so that no per-pod query answers more than {{points}} points. GPU-hours and cost are unchanged; the idle rule judges the {{window}} means.",
        {
          pods: formatNumber(text.pods),
          window: stepDuration(text.windowSeconds),
          step: stepDuration(text.fineStepSeconds),
          points: formatNumber(text.maxPoints),
          interpolation: { escapeValue: false },
        }
      );
    case 'prometheus-unreachable':
    case 'prometheus-timeout':
    case 'prometheus-http':
    case 'prometheus-query':
    case 'prometheus-response':
    case 'grafana-proxy-error':
    case 'fleet-data-error':
    case 'insufficient-history-error':
    case 'no-value-before-end-error':
    case 'number-field-error':
    case 'no-gpu-node-error':
    case 'workload-days-error':
    case 'unknown-view-error':
    case 'unknown-query-type-error':
    case 'no-tensor-pods-error':
    case 'no-gpu-pods-error':
    case 'choice-error':
    case 'unknown-measure-error':
    case 'within-days-error':
    case 'no-capacity-error':
    case 'monthly-budget-error':
    case 'no-monthly-budget-error':
      return errorText(text);
    case 'inventory-no-kube-state-metrics':
    case 'inventory-no-dcgm-activity':
    case 'inventory-dcgm-profiling-off':
    case 'inventory-no-namespace-label':
    case 'inventory-mig-estimated':
      return inventoryWarning(text);
    case 'what-if-beyond-horizon':
    case 'what-if-overlap':
    case 'what-if-no-steps':
    case 'what-if-end-before-start':
    case 'what-if-bad-multiplier':
    case 'what-if-outside-horizon':
      return whatIfText(text);
    default:
      return blockedReason(text);
  }
}

/** Why an answer went without the app's settings (backend/appSettingsReader.ts), and what it used instead. */
function appSettingsUnread(text: AppSettingsUnread): string {
  const without = t(
    'panels.app-settings-unread.without',
    'the shipped list prices, no business calendar and only a monthly budget entered in the query (if any) were used'
  );
  switch (text.reason) {
    case 'no-account':
      return t(
        'panels.app-settings-unread.no-account',
        "This query brought no app settings and Grafana gives the data source no service account to read them, so {{without}}. Turn on Grafana's managed service accounts, or write the rule from Headroom's Alerts page.",
        { without, interpolation: { escapeValue: false } }
      );
    case 'other-organisation':
      return t(
        'panels.app-settings-unread.other-organisation',
        "The app's settings are read with the service account Grafana manages in its default organisation ({{accountOrg}}); this query is from organisation {{org}}, so {{without}}. When Grafana's auto_assign_org_id is not 1, set managed_account_org_id to it under [plugin.headroom-capacity-datasource].",
        { org: text.orgId, accountOrg: text.accountOrgId, without, interpolation: { escapeValue: false } }
      );
    case 'bad-account-org':
      return t(
        'panels.app-settings-unread.bad-account-org',
        'managed_account_org_id under [plugin.headroom-capacity-datasource] is "{{value}}", not an organisation id (a whole number from 1), so the app\'s settings were not read and {{without}}. Set it to the id of Grafana\'s default organisation (auto_assign_org_id), or remove it for organisation 1.',
        { value: text.value, without, interpolation: { escapeValue: false } }
      );
    case 'refused':
      return t(
        'panels.app-settings-unread.refused',
        "Grafana answered {{status}} when the data source asked for the app's settings, so {{without}}. Its service account needs plugins.app:access on the Headroom app.",
        { status: text.status, without, interpolation: { escapeValue: false } }
      );
    case 'grafana-unavailable':
      return t(
        'panels.app-settings-unread.grafana-unavailable',
        "Grafana was unavailable when the data source asked for the app's settings (the proxy in front of it answered {{status}}: Grafana is usually restarting or overloaded), so {{without}}. The settings are asked for again a minute later.",
        { status: text.status, without, interpolation: { escapeValue: false } }
      );
    case 'not-grafana':
      return t(
        'panels.app-settings-unread.not-grafana',
        "Something other than Grafana's API answered at Grafana's root URL (a login page or a redirect) when the data source asked for the app's settings, so {{without}}. Set root_url to an address of Grafana itself that its plugins can reach.",
        { without, interpolation: { escapeValue: false } }
      );
    case 'unreachable':
      return t(
        'panels.app-settings-unread.unreachable',
        "Grafana did not answer at its root URL when the data source asked for the app's settings, so {{without}}.",
        { without, interpolation: { escapeValue: false } }
      );
  }
}

/** A capacity plan's note (engine/capacity/plan.ts planNoteText); an error's reason stays as the error wrote it. */
function planNote(note: CapacityPlanNote): string {
  switch (note.code) {
    case 'not-gpus': {
      const figures = {
        target: shownTargetName(note.label),
        unit: demandUnit(note.unit),
        interpolation: { escapeValue: false },
      };
      return note.capacityInGpus
        ? t(
            'forecast.plan.not-gpus-capacity',
            '{{target}} is measured in {{unit}}, not in GPUs or a throughput: no GPUs are planned for it, and a capacity in GPUs cannot be compared with it. Forecast allocated or busy GPUs, or generated tokens/s, to plan GPUs.',
            figures
          )
        : t(
            'forecast.plan.not-gpus',
            '{{target}} is measured in {{unit}}, not in GPUs or a throughput: no GPUs are planned for it. Forecast allocated or busy GPUs, or generated tokens/s, to plan GPUs.',
            figures
          );
    }
    case 'no-throughput':
      return t(
        'forecast.plan.no-throughput',
        '{{target}} is a throughput, so GPUs are planned from a throughput per GPU; none was entered or calibrated. Enter one from a benchmark.',
        { target: shownTargetName(note.label), interpolation: { escapeValue: false } }
      );
    case 'throughput-not-calibrated':
      return t(
        'forecast.plan.throughput-not-calibrated',
        '{{target}} is a throughput, so GPUs are planned from a throughput per GPU, and it could not be calibrated: {{reason}} Enter one from a benchmark.',
        {
          target: shownTargetName(note.label),
          reason: note.reasonText ? errorText(note.reasonText) : note.reason,
          interpolation: { escapeValue: false },
        }
      );
    case 'capacity-not-convertible':
      // The capacity as the engine writes it: as entered, or as the fleet's capacity series gave it.
      return note.unit === undefined
        ? t(
            'forecast.plan.capacity-not-convertible-expression',
            "The capacity of {{gpus}} GPUs cannot be turned into the expression's unit without a throughput per GPU, so when it runs out is not shown.",
            { gpus: String(note.gpus) }
          )
        : t(
            'forecast.plan.capacity-not-convertible',
            'The capacity of {{gpus}} GPUs cannot be turned into {{unit}} without a throughput per GPU, so when it runs out is not shown.',
            { gpus: String(note.gpus), unit: demandUnit(note.unit), interpolation: { escapeValue: false } }
          );
    case 'unknown-gpu-models':
      return t(
        'forecast.plan.unknown-gpu-models',
        "The fleet's GPU models are unknown ({{source}}): the cost mix needs the model to price.",
        { source: note.sourceCode ? fleetSource(note.sourceCode) : note.source, interpolation: { escapeValue: false } }
      );
    case 'no-prices':
      return t(
        'forecast.plan.no-prices',
        "No price for {{models}} in the price list: the cost mix is not shown. Add the model's prices.",
        { models: note.gpuModels.join(listSeparator()), interpolation: { escapeValue: false } }
      );
  }
}

/** A demand's unit (prometheus/targets.ts) as a person names it; another unit as it is. */
function demandUnit(unit: string): string {
  switch (unit) {
    case 'ratio':
      return t('forecast.plan.units.ratio', 'ratio');
    case 'requests':
      return t('forecast.plan.units.requests', 'requests');
    default:
      return unit;
  }
}

/** How the fleet's GPU models were found (engine/capacity/costMix.ts fleetSourceText). */
function fleetSource(source: FleetSource): string {
  switch (source.code) {
    case 'gpu-model-filter':
      return t('forecast.plan.sources.gpu-model-filter', 'the GPU model filter');
    case 'priced-as':
      return t('forecast.plan.sources.priced-as', 'the model chosen in "Priced as"');
    case 'no-capacity-by-model':
      return t(
        'forecast.plan.sources.no-capacity-by-model',
        'no GPU capacity per model: it needs kube-state-metrics and DCGM series with the {{gpuModelLabel}} and {{hostnameLabel}} labels',
        {
          gpuModelLabel: source.gpuModelLabel,
          hostnameLabel: source.hostnameLabel,
          interpolation: { escapeValue: false },
        }
      );
    case 'inventory':
      return t('forecast.plan.sources.inventory', 'GPU capacity per model in the inventory, at {{time}}', {
        time: isoSeconds(source.atSeconds),
      });
    case 'no-inventory-capacity':
      return t(
        'forecast.plan.sources.no-inventory-capacity',
        'no GPU capacity per model in the inventory in the day before the forecast'
      );
  }
}

/** A query step: `15 s`, `10 min`, `2 h`. */
function stepDuration(seconds: number): string {
  if (seconds < 60) {
    return t('panels.format.seconds', '{{value}} s', { value: formatNumber(seconds) });
  }
  return seconds < 3600
    ? t('panels.format.minutes', '{{value}} min', { value: formatNumber(seconds / 60, 1) })
    : t('panels.format.hours', '{{value}} h', { value: formatNumber(seconds / 3600, 1) });
}

/** `Models not used: naive (…); mstl (…).`, each model with why auto did not use it. */
function modelsNotUsed(models: ReadonlyArray<{ model: string; cause: SkipCause }>): string {
  const separator = t('forecast.notices.models-separator', '; ');
  const named = models.map(({ model, cause }) =>
    t('forecast.notices.model-not-used', '{{model}} ({{reason}})', {
      model,
      reason: skipCause(cause),
      interpolation: { escapeValue: false },
    })
  );
  return t('forecast.notices.models-not-used', 'Models not used: {{models}}.', {
    models: named.join(separator),
    interpolation: { escapeValue: false },
  });
}

/** Why auto did not use a model (engine/forecast/auto.ts skipCauseText); a model's own error stays as it threw it. */
function skipCause(cause: SkipCause): string {
  switch (cause.code) {
    case 'too-short':
      return t('forecast.notices.skip.too-short', 'needs {{need}} steps of history, has {{have}}', {
        need: formatNumber(cause.needSteps),
        have: formatNumber(cause.haveSteps),
      });
    case 'ignores-events':
      return t('forecast.notices.skip.ignores-events', 'ignores the business events in the horizon');
    case 'no-backtest':
      return t('forecast.notices.skip.no-backtest', 'too little history for a backtest');
    case 'failed-backtest':
      return t('forecast.notices.skip.failed-backtest', 'failed in backtest: {{error}}', {
        error: cause.error,
        interpolation: { escapeValue: false },
      });
    case 'failed-fit':
      return t('forecast.notices.skip.failed-fit', 'failed on the full history: {{error}}', {
        error: cause.error,
        interpolation: { escapeValue: false },
      });
  }
}

/** The instance a list price is of, with its GPUs when it has several (`a3-highgpu-8g ÷ 8 GPUs`). */
function priceInstance(citation: PriceCitation): string {
  return citation.gpusPerInstance > 1
    ? t('forecast.cost-mix.instance-gpus', '{{instance}} ÷ {{gpus}} GPUs', {
        instance: citation.instanceType,
        gpus: formatNumber(citation.gpusPerInstance),
      })
    : citation.instanceType;
}

/**
 * A shipped list price's source, short (`List price: Google Cloud a2-ultragpu-1g`): for a cell, with the whole
 * citation in its tooltip.
 */
export function shortListPriceSource(citation: PriceCitation): string {
  return t('forecast.cost-mix.list-price-short', 'List price: {{provider}} {{instance}}', {
    provider: citation.provider,
    instance: priceInstance(citation),
    interpolation: { escapeValue: false },
  });
}

/** A shipped list price's source (`List price: …`, engine/capacity/listPrices.ts describeCitation). */
function listPriceSource(citation: PriceCitation): string {
  const figures = {
    provider: citation.provider,
    instance: priceInstance(citation),
    region: citation.region,
    listDate: citation.listDate,
    url: citation.url,
    readOn: citation.readOn,
    note: citation.note ? priceNote(citation.note) : '',
    interpolation: { escapeValue: false },
  };
  return citation.note
    ? t(
        'forecast.cost-mix.list-price-note',
        'List price: {{provider}} {{instance}}, {{region}}, list of {{listDate}} ({{url}}), read {{readOn}}; {{note}}',
        figures
      )
    : t(
        'forecast.cost-mix.list-price',
        'List price: {{provider}} {{instance}}, {{region}}, list of {{listDate}} ({{url}}), read {{readOn}}',
        figures
      );
}

/** Why a priced model gets no reserved recommendation (engine/capacity/costMix.ts). */
function noReservedPrice(text: NoReservedPrice): string {
  if (text.reservedPerGpuHour === undefined) {
    return t(
      'forecast.cost-mix.no-reserved-price-none',
      'no reserved price known for {{model}} (the price list has none): no reserved recommendation',
      { model: text.gpuModel, interpolation: { escapeValue: false } }
    );
  }
  // The prices as the engine writes them: they are also how they were entered.
  return t(
    'forecast.cost-mix.no-reserved-price',
    'no reserved price known for {{model}} (reserved {{reserved}} is not below on-demand {{onDemand}} in {{source}}): no reserved recommendation',
    {
      model: text.gpuModel,
      reserved: String(text.reservedPerGpuHour),
      onDemand: String(text.onDemandPerGpuHour),
      source: text.sourceText ? frameText(text.sourceText) : text.source,
      interpolation: { escapeValue: false },
    }
  );
}

function priceNote(note: PriceNote): string {
  switch (note) {
    case 'no-one-year-price':
      return t(
        'forecast.cost-mix.notes.no-one-year-price',
        'the list has no 1-year price for this instance: reserved is set to on-demand until you enter yours'
      );
    case 'billing-catalog-share':
      return t(
        'forecast.cost-mix.notes.billing-catalog-share',
        'per-GPU share of the instance price from the Cloud Billing Catalog API snapshot; no 1-year price: reserved is set to on-demand until you enter yours'
      );
  }
}

const ruleText = (rule: CombinationRule): string =>
  ({
    blend: t('forecast.legend.rules.blend', 'weighted blend'),
    mean: t('forecast.legend.rules.mean', 'mean'),
    median: t('forecast.legend.rules.median', 'median'),
    wmedian: t('forecast.legend.rules.wmedian', 'weighted median'),
  })[rule];

/**
 * The model's short name (`modelLabel`) in the user's language: a combination by its rule, how many joined and the
 * first members ("weighted median of 6: drift, naive, mstl +3"); model names stay as the engine writes them.
 */
export function modelText({ short, members, combination, chosenBy }: ModelLabel): string {
  if (!combination) {
    return short;
  }
  const named =
    combination.more > 0
      ? t('forecast.legend.combination-more', '{{rule}} of {{models}}: {{members}} +{{more}}', {
          rule: ruleText(combination.rule),
          models: members.length,
          members: combination.shown.join(listSeparator()),
          more: combination.more,
          interpolation: { escapeValue: false },
        })
      : t('forecast.legend.combination', '{{rule}} of {{models}}: {{members}}', {
          rule: ruleText(combination.rule),
          models: members.length,
          members: combination.shown.join(listSeparator()),
          interpolation: { escapeValue: false },
        });
  return chosenBy === undefined ? named : `${chosenBy} → ${named}`;
}

/** A row of the launch what-if's totals, the unit in the label. */
function whatIfRow(row: WhatIfRow): string {
  switch (row) {
    case 'peak-gpus':
      return t('forecast.what-if.rows.peak-gpus', 'Peak GPUs needed');
    case 'gpu-hours':
      return t('forecast.what-if.rows.gpu-hours', 'GPU-hours');
    case 'cost':
      return t('forecast.what-if.rows.cost', 'Cost ($)');
    case 'expected-cost-per-hour':
      return t('forecast.what-if.rows.expected-cost-per-hour', 'Expected cost ($ / h)');
    case 'reserved-gpus':
      return t('forecast.what-if.rows.reserved-gpus', 'Reserved GPUs');
    case 'on-demand-gpu-hours':
      return t('forecast.what-if.rows.on-demand-gpu-hours', 'On-demand GPU-hours');
    case 'spot-gpu-hours':
      return t('forecast.what-if.rows.spot-gpu-hours', 'Spot GPU-hours');
  }
}

/** Hours as the frames write a span of history: hours under two days, days (one decimal) above. */
function duration(hours: number): string {
  return hours < 48
    ? t('panels.format.hours', '{{value}} h', { value: formatNumber(hours) })
    : t('panels.format.days', '{{value}} days', { value: formatNumber(hours / 24, 1) });
}

/** A share of one GPU as the engine writes it (`50 %`, `12.5 %`: its milli-GPUs give at most one decimal). */
const gpuShareText = (percent: number) => `${formatNumber(percent, 1)} %`;

/** `m01: 2 GPUs, 16 cores` (learntJobText) in the user's language. */
function learntJob(job: LearntJob): string {
  const gpus =
    job.gpuCount === 0
      ? t('fragmentation.job.cpu-only', 'CPU only')
      : job.gpuPercent === 100
        ? job.gpuCount === 1
          ? t('fragmentation.job.one-gpu', '{{gpus}} GPU', { gpus: formatNumber(job.gpuCount) })
          : t('fragmentation.job.gpus', '{{gpus}} GPUs', { gpus: formatNumber(job.gpuCount) })
        : t('fragmentation.job.gpu-share', '{{percent}} GPU', { percent: gpuShareText(job.gpuPercent) });
  const cores = formatNumber(job.cpuCores);
  return job.gpuSpec
    ? t('fragmentation.job.learnt-models', '{{id}}: {{gpus}}, {{cores}} cores, {{models}}', {
        id: job.id,
        gpus,
        cores,
        models: job.gpuSpec,
        interpolation: { escapeValue: false },
      })
    : t('fragmentation.job.learnt', '{{id}}: {{gpus}}, {{cores}} cores', {
        id: job.id,
        gpus,
        cores,
        interpolation: { escapeValue: false },
      });
}

/** Why no pod of a type fits (blockedReasonText) in the user's language. */
function blockedReason(reason: BlockedReason): string {
  switch (reason.code) {
    case 'cpu-only-no-cpu':
      return t('fragmentation.why-none.cpu-only', 'it asks for no GPU, and no node has its CPU free');
    case 'no-gpu-model': {
      const or = t('fragmentation.why-none.model-separator', ' or ');
      return t('fragmentation.why-none.no-gpu-model', 'no node has GPU model {{models}}', {
        models: reason.gpuModels.join(or),
        interpolation: { escapeValue: false },
      });
    }
    case 'gpus-not-together': {
      const gpus = formatNumber(reason.gpuCount);
      const percent = gpuShareText(reason.gpuPercent);
      const one = reason.gpuCount === 1;
      const what =
        reason.gpuPercent === 100
          ? one
            ? t('fragmentation.why-none.fully-free-gpu', '{{gpus}} fully free GPU', { gpus })
            : t('fragmentation.why-none.fully-free-gpus', '{{gpus}} fully free GPUs', { gpus })
          : one
            ? t('fragmentation.why-none.share-free-gpu', '{{gpus}} GPU with {{percent}} free', { gpus, percent })
            : t('fragmentation.why-none.share-free-gpus', '{{gpus}} GPUs with {{percent}} free', { gpus, percent });
      const where =
        reason.mostOnNode === undefined
          ? ''
          : t('fragmentation.why-none.on-node', ' (on {{node}})', {
              node: reason.mostOnNode,
              interpolation: { escapeValue: false },
            });
      const nodes =
        reason.nodesWithAny === 1
          ? t('fragmentation.why-none.one-node', '{{nodes}} node', { nodes: formatNumber(reason.nodesWithAny) })
          : t('fragmentation.why-none.nodes', '{{nodes}} nodes', { nodes: formatNumber(reason.nodesWithAny) });
      const figures = {
        what,
        most: formatNumber(reason.mostOnOneNode),
        where,
        total: formatNumber(reason.totalGpus),
        nodes,
        interpolation: { escapeValue: false },
      };
      return reason.modelsNamed
        ? t(
            'fragmentation.why-none.not-together-model',
            'it needs {{what}} on one node; the most on any such node is {{most}}{{where}}, {{total}} in all spread over {{nodes}}',
            figures
          )
        : t(
            'fragmentation.why-none.not-together',
            'it needs {{what}} on one node; the most on any node is {{most}}{{where}}, {{total}} in all spread over {{nodes}}',
            figures
          );
    }
    case 'cpu-short': {
      const figures = {
        gpus: formatNumber(reason.gpuCount),
        cores: formatNumber(reason.cpuCores),
        free: formatNumber(reason.mostFreeCores),
      };
      return reason.gpuCount === 1
        ? t(
            'fragmentation.why-none.cpu-short-one',
            'the nodes with {{gpus}} such GPU free lack CPU: it asks {{cores}} cores, the most free there is {{free}}',
            figures
          )
        : t(
            'fragmentation.why-none.cpu-short',
            'the nodes with {{gpus}} such GPUs free lack CPU: it asks {{cores}} cores, the most free there is {{free}}',
            figures
          );
    }
  }
}

/**
 * The query's errors, those whose message a frame of the answer carries as a code (`texts.errors`, a failed answer's
 * frame) worded in the user's language; the rest (Prometheus', Grafana's) as they came.
 */
export function errorsInUserLanguage(
  errors: readonly DataQueryError[],
  frames: readonly DataFrame[]
): DataQueryError[] {
  const texts = Object.assign({}, ...frames.map((frame) => frameTextsOf(frame)?.errors)) as Record<string, FrameText>;
  return errors.map((error) =>
    error.message !== undefined && texts[error.message] ? { ...error, message: frameText(texts[error.message]) } : error
  );
}

/** The frame's notices, those that carry a code worded in the user's language. */
export function noticesInUserLanguage(frame: DataFrame): QueryResultMetaNotice[] {
  const texts = frameTextsOf(frame)?.notices ?? {};
  return (frame.meta?.notices ?? []).map((notice) =>
    texts[notice.text] ? { ...notice, text: frameText(texts[notice.text]) } : notice
  );
}

/**
 * The frames with the cells and notices that carry a code worded in the user's language; the rest as the frames wrote
 * them. For panels Grafana draws, whose values the page cannot word otherwise; the data source's frames are unchanged.
 */
export function inUserLanguage(frames: DataFrame[]): DataFrame[] {
  return frames.map((frame) => {
    const texts = frameTextsOf(frame);
    if (!texts) {
      return frame;
    }
    const cells = texts.cells ?? {};
    const worded = (field: Field): Field => {
      const rows = cells[field.name];
      return rows
        ? { ...field, values: field.values.map((value, i) => (rows[i] ? frameText(rows[i]) : value)) }
        : field;
    };
    return {
      ...frame,
      fields: frame.fields.map(worded),
      meta: frame.meta && { ...frame.meta, notices: frame.meta.notices && noticesInUserLanguage(frame) },
    };
  });
}
