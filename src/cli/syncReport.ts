import type { ApplyResult, SyncAction, SyncPlan } from '../alerting/grafanaClient';

function actionLine(action: SyncAction, dryRun: boolean): string {
  return `${dryRun && action.kind !== 'unchanged' ? 'would ' : ''}${action.kind} ${action.uid} ${action.title}\n`;
}

/**
 * Prints what a sync did (or would do), the rules a person edited that were left alone with their diff and the
 * flag that overwrites them, and title clashes. Returns true when something was held back, so the command exits 1.
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
  for (const conflict of result.titleConflicts) {
    process.stdout.write(
      `not written: ${conflict.uid}: the title "${conflict.title}" is already used by rule ${conflict.clashesWith} in the folder\n`
    );
  }
  return result.awaitingConfirmation.length > 0 || result.titleConflicts.length > 0;
}
