import React, { useMemo, useState } from 'react';
import { css } from '@emotion/css';
import { LoadingState, type GrafanaTheme2 } from '@grafana/data';
import { t } from '@grafana/i18n';
import { Alert, Button, LoadingPlaceholder, PanelChrome, useStyles2 } from '@grafana/ui';
import { createGrafanaProvisioningClient } from '../../alerting/grafanaClient';
import { loadAppSettings } from '../../datasource/appSettingsClient';
import { DAY_SECONDS } from '../../engine/thresholds/slots';
import { detectFamilies } from '../../prometheus/detect';
import { PrometheusQueryError } from '../../prometheus/errors';
import { selector } from '../../prometheus/promql';
import type { TimeRangeSeconds } from '../../prometheus/types';
import { gpuPricesOf } from '../../datasource/appSettings';
import { TooLittleHistoryError } from './alertAnalysis';
import { fetchPermissions, writeAccessFrom } from './alertPermissions';
import { alertPreset, presetExpr, scopeLabel } from './alertPresets';
import {
  groupIntervalSeconds,
  HEADROOM_FOLDER,
  managedRuleRows,
  planRecalibration,
  type ManagedRuleRow,
} from './alertRules';
import {
  noRuleDataSourceMessage,
  prometheusClientFor,
  prometheusErrorMessage,
  type PrometheusConnection,
} from '../../datasource/connection';
import { connectionFor, fetchWatchedHistory, hasBackend } from './alertsData';
import { alertsPanelTitles, bandModelText } from './alertsText';
import { sensitivityOfWatch, type AlertsWatchState } from './alertsWatch';
import { BacktestTable } from './BacktestTable';
import { BandChart } from './BandChart';
import { budgetRulesOf, queryRulesOf } from './budgetGuardRails';
import { BudgetRulesWriter, QueryRulesWriter } from './BudgetRulesWriter';
import { createBackendSrvTransport } from './grafanaBackendTransport';
import { ManagedRulesTable } from './ManagedRulesTable';
import { driftOfSeries, recalibrateSeries, rowsBySeries } from './recalibration';
import { RuleWriter } from './RuleWriter';
import { useDebouncedAnalysis } from './useDebouncedAnalysis';
import { messageOf, useKeyedAsync } from './useKeyedAsync';
import { useRuleEvaluations } from './useRuleEvaluations';
import { useSyncFlow } from './useSyncFlow';
import { WatchControls } from './WatchControls';

interface Props {
  /** UID of the Headroom data source chosen in the `ds` variable. */
  dsUid: string;
  range: TimeRangeSeconds;
  watch: AlertsWatchState;
  onChange: (change: Partial<Omit<AlertsWatchState, 'key'>>) => void;
}

const CHART_HEIGHT_PX = 320;

/** The Alerts page: pick a series, see its learnt band and backtest, tune, write rules, and manage what is written. */
export function AlertsView({ dsUid, range, watch, onChange }: Props) {
  const styles = useStyles2(getStyles);
  const connection = useMemo((): { ok?: PrometheusConnection; error?: string } => {
    if (!dsUid) {
      return {
        error: t(
          'alerts.error.choose-datasource',
          'Choose a Headroom data source above; it names the Prometheus the rules will query.'
        ),
      };
    }
    try {
      return { ok: connectionFor(dsUid) };
    } catch (error) {
      return { error: messageOf(error) };
    }
  }, [dsUid]);
  const conn = connection.ok;
  // Prometheus' answers may echo the data source's custom headers: their values are redacted too.
  const prometheusMessageOf = conn?.messageOf ?? prometheusErrorMessage(undefined);
  const transport = useMemo(() => createBackendSrvTransport(), []);
  const grafana = useMemo(() => createGrafanaProvisioningClient(transport), [transport]);
  const [reloads, setReloads] = useState(0);
  const [outcome, setOutcome] = useState<{ message: string; failed: boolean }>();
  const rangeKey = `${range.startSeconds}-${range.endSeconds}`;

  const rules = useKeyedAsync(`rules:${reloads}`, () => grafana.listRules());
  const access = useKeyedAsync(`access:${reloads}`, async () => {
    const [permissions, folder] = await Promise.all([
      fetchPermissions(transport),
      grafana.getFolder(HEADROOM_FOLDER.uid),
    ]);
    return writeAccessFrom(permissions, folder !== undefined);
  });
  const detection = useKeyedAsync(conn ? `detect:${dsUid}:${range.endSeconds}` : undefined, () =>
    detectFamilies(
      conn!.client,
      { startSeconds: range.endSeconds - DAY_SECONDS, endSeconds: range.endSeconds },
      conn!.catalog
    )
  );
  const prices = useKeyedAsync('prices', async () => gpuPricesOf(await loadAppSettings()));
  // The guard rails run on the person's Prometheus data source: none chosen, nothing to write (the page says where).
  const rulesUid = conn?.prometheusUid;
  const budget = useKeyedAsync(rulesUid ? `budget:${rulesUid}:${reloads}` : undefined, async () =>
    budgetRulesOf(await loadAppSettings(), rulesUid!, Math.floor(Date.now() / 1000))
  );
  // Rules on Headroom's own queries run on the chosen Headroom data source, which needs its backend for Grafana.
  const queryRules = useKeyedAsync(dsUid ? `query-rules:${dsUid}:${reloads}` : undefined, async () =>
    queryRulesOf(await loadAppSettings(), dsUid!, hasBackend(dsUid!))
  );
  const preset = alertPreset(watch.preset);
  const scope =
    conn && preset.scope && detection.state === 'done'
      ? scopeLabel(preset.scope, conn.catalog, detection.value)
      : undefined;
  const scopeOptions = useKeyedAsync(scope ? `scope:${dsUid}:${scope.label}:${rangeKey}` : undefined, () =>
    conn!.client.labelValues(scope!.label, [selector(scope!.metric, [])], range)
  );

  let expr: string | undefined;
  let exprProblem: string | undefined;
  if (conn && detection.state === 'done' && prices.state === 'done') {
    try {
      expr = presetExpr(watch.preset, {
        catalog: conn.catalog,
        detection: detection.value,
        prices: prices.value,
        scopeValue: watch.scope,
        promql: watch.promql,
      });
    } catch (error) {
      exprProblem = prometheusMessageOf(error);
    }
  }
  const history = useKeyedAsync(expr ? JSON.stringify([dsUid, expr, rangeKey]) : undefined, () =>
    fetchWatchedHistory(conn!.client, expr!, range)
  );
  const sensitivity = sensitivityOfWatch(watch);
  const analysis = useDebouncedAnalysis(
    history.state === 'done' ? history.value : undefined,
    sensitivity,
    preset.valueRange
  );
  const shown =
    analysis.state === 'done' ? analysis.analysis : analysis.state === 'computing' ? analysis.previous : undefined;

  const flow = useSyncFlow(grafana, (result) => {
    setOutcome(result);
    setReloads((r) => r + 1);
  });
  // What both rule writers (this series' band, the budget guard rails) need to plan and write.
  const writer = {
    rules,
    access,
    loadRules: () => grafana.listRules(),
    onError: (message: string) => setOutcome({ message, failed: true }),
    onPlan: (request: Parameters<typeof flow.start>[0]) => flow.start(request, true),
    busy: flow.busy,
  };
  const groups = rowsBySeries(rules.state === 'done' ? managedRuleRows(rules.value) : []);
  const evaluations = useRuleEvaluations(grafana, rules.state === 'done' ? `evaluations:${reloads}` : undefined);
  const drift = useKeyedAsync(rules.state === 'done' ? `drift:${reloads}:${range.endSeconds}` : undefined, (signal) =>
    driftOfSeries(groups, range.endSeconds, prometheusClientFor, signal)
  );

  async function recalibrate(rows: ManagedRuleRow[]) {
    try {
      // Against Grafana's rules as they are now, so an edit made since the list was read is noticed.
      const [result, current] = await Promise.all([
        recalibrateSeries(rows, range.endSeconds, prometheusClientFor),
        grafana.listRules(),
      ]);
      const fresh = new Map(current.map((rule) => [rule.uid, rule]));
      flow.start(
        {
          title: t('alerts.recalibrate.title', 'Recalibrate the rules of {{selector}}', {
            selector: rows[0].selector,
            interpolation: { escapeValue: false },
          }),
          plan: planRecalibration(
            rows.flatMap((r) => fresh.get(r.uid) ?? []),
            result.desired,
            current
          ),
          groupIntervalSeconds: groupIntervalSeconds(result.stepSeconds),
        },
        false
      );
    } catch (error) {
      setOutcome({
        message: t('alerts.recalibrate.failed', 'Recalibrating {{selector}} failed: {{message}}', {
          selector: rows[0].selector,
          message: prometheusMessageOf(error),
          interpolation: { escapeValue: false },
        }),
        failed: true,
      });
    }
  }

  const loading = history.state === 'loading' || analysis.state === 'computing';
  const problem =
    connection.error ??
    (detection.state === 'error' ? prometheusMessageOf(detection.error) : undefined) ??
    (history.state === 'error' ? prometheusMessageOf(history.error) : undefined) ??
    (analysis.state === 'error' ? prometheusMessageOf(analysis.error) : undefined);
  const problemTitle =
    history.state === 'error' && history.error instanceof PrometheusQueryError
      ? t('alerts.problem.rejected', 'Prometheus rejected the query')
      : analysis.state === 'error' && analysis.error instanceof TooLittleHistoryError
        ? t('alerts.problem.too-little-history', 'Too little history')
        : t('alerts.problem.cannot-show', 'Cannot show this series');
  const titles = alertsPanelTitles();
  const noRuleDataSource = noRuleDataSourceMessage();

  return (
    <div className={styles.page} data-testid="headroom-alerts-page">
      {outcome && (
        <Alert
          severity={outcome.failed ? 'error' : 'success'}
          title={outcome.failed ? t('alerts.outcome.not-written', 'Not written') : t('alerts.outcome.done', 'Done')}
          onRemove={() => setOutcome(undefined)}
          data-testid="headroom-alerts-outcome"
        >
          {outcome.message}
        </Alert>
      )}
      <WatchControls
        watch={watch}
        onChange={onChange}
        scopeOptions={scopeOptions.state === 'done' ? scopeOptions.value : preset.scope && !scope ? [] : undefined}
      />
      {exprProblem && (
        <Alert severity="info" title={t('alerts.problem.nothing-to-watch', 'Nothing to watch yet')}>
          {exprProblem}
        </Alert>
      )}
      {problem && (
        <Alert
          severity={analysis.state === 'error' ? 'warning' : 'error'}
          title={problemTitle}
          data-testid="headroom-alerts-problem"
        >
          {problem}
        </Alert>
      )}
      {history.state === 'done' && history.value.warnings.length > 0 && (
        <Alert severity="warning" title={t('alerts.problem.prometheus-warned', 'Prometheus warned')}>
          {history.value.warnings.join(' ')}
        </Alert>
      )}
      {shown && shown.warnings.length > 0 && (
        <Alert
          severity="warning"
          title={t('alerts.problem.band-warnings', 'About the rule written now')}
          data-testid="headroom-alerts-band-warnings"
        >
          {shown.warnings.map((warning) => warning.charAt(0).toUpperCase() + warning.slice(1)).join(' ')}
        </Alert>
      )}
      <PanelChrome
        title={titles.band}
        description={t(
          'alerts.panels.band.description',
          'The watched series, the band as it was deployed at each time, and where the rule would have started firing.'
        )}
        loadingState={loading ? LoadingState.Loading : LoadingState.Done}
      >
        <div className={styles.panelBody}>
          {shown && history.state === 'done' ? (
            <BandChart
              timestampsSeconds={history.value.timestampsSeconds}
              values={history.value.values}
              thresholds={shown.thresholds}
              warmupRows={shown.warmupRows}
              alertStartsSeconds={shown.adaptive.startsSeconds}
              unit={preset.unit}
              heightPx={CHART_HEIGHT_PX}
            />
          ) : problem || exprProblem ? (
            <p className={styles.muted}>{t('alerts.panels.band.none', 'No band to show.')}</p>
          ) : (
            <LoadingPlaceholder text={t('alerts.panels.band.loading', 'Learning the band…')} />
          )}
        </div>
      </PanelChrome>
      <div className={styles.row}>
        <div className={styles.cell}>
          <PanelChrome
            title={titles.backtest}
            description={t(
              'alerts.panels.backtest.description',
              'How often each method would have alerted over the range, judged the same way.'
            )}
            loadingState={loading ? LoadingState.Loading : LoadingState.Done}
          >
            <div className={styles.panelBody}>
              {shown && history.state === 'done' ? (
                <BacktestTable
                  backtests={shown.backtests}
                  model={bandModelText(shown.calibration.band.mode, shown.calibration.method, shown.config.band.width)}
                  judgedDays={
                    (history.value.timestampsSeconds[history.value.timestampsSeconds.length - 1] -
                      history.value.timestampsSeconds[shown.warmupRows]) /
                    DAY_SECONDS
                  }
                />
              ) : (
                <p className={styles.muted}>
                  {t('alerts.panels.backtest.waiting', 'The backtest appears with the band.')}
                </p>
              )}
            </div>
          </PanelChrome>
        </div>
        <div className={styles.cell}>
          <PanelChrome
            title={titles.rules}
            description={t('alerts.panels.rules.description', 'The Grafana alert rules this band becomes.')}
          >
            <div className={styles.panelBody}>
              {shown && expr && conn && !conn.prometheusUid ? (
                <p className={styles.muted}>{noRuleDataSource}</p>
              ) : shown && expr && conn?.prometheusUid ? (
                <RuleWriter
                  selector={expr}
                  analysis={shown}
                  sensitivity={sensitivity}
                  prometheusUid={conn.prometheusUid}
                  unit={preset.unit}
                  {...writer}
                />
              ) : (
                <p className={styles.muted}>{t('alerts.panels.rules.waiting', 'The rule appears with the band.')}</p>
              )}
            </div>
          </PanelChrome>
        </div>
      </div>
      <PanelChrome
        title={titles.managed}
        description={t(
          'alerts.panels.managed.description',
          'Rules Headroom manages in the Grafana folder "{{folder}}".',
          {
            folder: HEADROOM_FOLDER.title,
            interpolation: { escapeValue: false },
          }
        )}
        loadingState={rules.state === 'loading' ? LoadingState.Loading : LoadingState.Done}
        actions={
          <Button size="sm" variant="secondary" fill="text" icon="sync" onClick={() => setReloads((r) => r + 1)}>
            {t('alerts.panels.managed.refresh', 'Refresh')}
          </Button>
        }
      >
        <div className={styles.panelBody}>
          {rules.state === 'error' ? (
            <Alert severity="error" title={t('alerts.error.list-rules-title', "Cannot list Grafana's alert rules")}>
              {messageOf(rules.error)}
            </Alert>
          ) : rules.state === 'done' ? (
            <ManagedRulesTable
              groups={groups}
              driftByUid={drift.state === 'done' ? drift.value : new Map()}
              driftError={drift.state === 'error' ? prometheusMessageOf(drift.error) : undefined}
              evaluations={evaluations}
              canWrite={access.state === 'done' ? access.value.canWrite : access.state === 'error'}
              busy={flow.busy}
              onRecalibrate={(rows) => void recalibrate(rows)}
            />
          ) : (
            <LoadingPlaceholder text={t('alerts.panels.managed.loading', "Reading Grafana's alert rules…")} />
          )}
        </div>
      </PanelChrome>
      <PanelChrome
        title={titles.budget}
        description={t(
          'alerts.panels.budget.description',
          'Three rules on the projected month-end GPU spend against the monthly budget of the configuration page: notify at 100 %, control at 110 %, circuit-break at 130 %.'
        )}
      >
        <div className={styles.panelBody}>
          {conn && !conn.prometheusUid ? (
            <p className={styles.muted}>{noRuleDataSource}</p>
          ) : (
            <BudgetRulesWriter templates={budget} {...writer} />
          )}
        </div>
      </PanelChrome>
      <PanelChrome
        title={titles.queryRules}
        description={t(
          'alerts.panels.query-rules.description',
          "One rule per measure of Headroom's alert query (exhaustion probability, days to exhaustion, fragmented share, largest gang, idle GPUs, idle cost, and the budget at 100, 110 and 130 %), evaluated by Grafana on Headroom's backend."
        )}
      >
        <div className={styles.panelBody}>
          <QueryRulesWriter templates={queryRules} {...writer} />
        </div>
      </PanelChrome>
      {flow.modal}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  page: css({ display: 'flex', flexDirection: 'column', gap: theme.spacing(2) }),
  row: css({ display: 'flex', flexWrap: 'wrap', gap: theme.spacing(2) }),
  cell: css({ flex: '1 1 480px', minWidth: 0, display: 'flex', '& > *': { flex: 1 } }),
  panelBody: css({ padding: theme.spacing(1) }),
  muted: css({ color: theme.colors.text.secondary }),
});
