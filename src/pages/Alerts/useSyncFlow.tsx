import React, { useState } from 'react';
import { applySync, type GrafanaProvisioningClient, type SyncPlan } from '../../alerting/grafanaClient';
import { HEADROOM_FOLDER } from './alertRules';
import { SyncPlanModal } from './SyncPlanModal';
import { describeApplyResult, describeWriteError } from './syncOutcome';

interface PlanToApply {
  title: string;
  plan: SyncPlan;
  groupIntervalSeconds: number;
}

/**
 * Shows a plan and applies it. `confirm: false` applies at once when nothing needs a person's confirmation (one-click
 * recalibration); otherwise the plan opens in a modal first. Outcomes and errors go to `onDone`.
 */
export function useSyncFlow(
  grafana: GrafanaProvisioningClient,
  onDone: (outcome: { message: string; failed: boolean }) => void
) {
  const [open, setOpen] = useState<PlanToApply>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  async function apply(request: PlanToApply, confirmedUids: string[], inModal: boolean) {
    setBusy(true);
    setError(undefined);
    try {
      const result = await applySync(grafana, request.plan, {
        confirmEdited: confirmedUids,
        folder: HEADROOM_FOLDER,
        groupIntervalSeconds: request.groupIntervalSeconds,
        // The page has just read the series through the rules' data source, so Grafana has it.
        checkDataSources: false,
      });
      setOpen(undefined);
      onDone({ message: describeApplyResult(result), failed: false });
    } catch (failure) {
      if (inModal) {
        setError(describeWriteError(failure));
      } else {
        onDone({ message: describeWriteError(failure), failed: true });
      }
    } finally {
      setBusy(false);
    }
  }

  function start(request: PlanToApply, confirm: boolean) {
    const needsPerson = request.plan.actions.some((a) => a.kind !== 'unchanged' && a.editedByPerson);
    if (!confirm && !needsPerson) {
      void apply(request, [], false);
      return;
    }
    setError(undefined);
    setOpen(request);
  }

  const modal = open && (
    <SyncPlanModal
      title={open.title}
      plan={open.plan}
      busy={busy}
      error={error}
      onApply={(confirmed) => void apply(open, confirmed, true)}
      onDismiss={() => setOpen(undefined)}
    />
  );
  return { start, modal, busy };
}
