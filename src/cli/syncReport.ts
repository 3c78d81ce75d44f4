import type { ApplyResult, SyncAction, SyncPlan } from '../alerting/grafanaClient';

function actionLine(action: SyncAction, dryRun: boolean): string {
  return `${dryRun && action.kind !== 'unchanged' ? 'would ' : ''}${action.kind} ${action.uid} ${action.title}\n`;
}

/**
 * Prints what a sync did (or would do), the rules a person edited that were left alone with their diff and the flag
 * that overwrites them, and a folder recreated during the write. Returns true when something was held back, so the
 * command exits 1.
 */
export function printSyncReport(plan: SyncPlan, result: ApplyResult, dryRun: boolean): boolean {
  for (const action of plan.actions.filter((a) => !result.awaitingConfirmation.includes(a))) {
    process.stdout.write(actionLine(action, dryRun));
  }
  for (const action of result.awaitingConfirmation) {
    process.stdout.write(
      `edited by a person, not overwritten: ${action.uid} ${action.title}\n` +
        action.diff.map((line) => `    ${line}\n`).join('') +
        `  to overwrite, run again with --confirm ${action.uid}\n`
    );
  }
  if (result.folderRecreated) {
    process.stdout.write(
      `the folder was deleted during the write (Grafana deletes its rules with it): recreated it and restored ` +
        `${result.folderRecreated.restoredRules} rule(s)\n`
    );
  }
  return result.awaitingConfirmation.length > 0;
}
