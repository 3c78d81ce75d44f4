import React, { useState } from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { t } from '@grafana/i18n';
import { Alert, Badge, Button, Checkbox, Modal, Stack, useStyles2 } from '@grafana/ui';
import type { SyncAction, SyncPlan } from '../../alerting/grafanaClient';

interface Props {
  title: string;
  plan: SyncPlan;
  /** Applying: the button waits; an error from Grafana shows inside the modal. */
  busy: boolean;
  error?: string;
  onApply: (confirmedUids: string[]) => void;
  onDismiss: () => void;
}

const KIND_COLOR: Record<SyncAction['kind'], 'green' | 'blue' | 'red' | 'darkgrey'> = {
  create: 'green',
  update: 'blue',
  delete: 'red',
  unchanged: 'darkgrey',
};

function kindText(kind: SyncAction['kind']): string {
  switch (kind) {
    case 'create':
      return t('alerts.sync.kind.create', 'create');
    case 'update':
      return t('alerts.sync.kind.update', 'update');
    case 'delete':
      return t('alerts.sync.kind.delete', 'delete');
    case 'unchanged':
      return t('alerts.sync.kind.unchanged', 'unchanged');
  }
}

/**
 * The plan before anything is written: each rule's action and diff. A rule a person edited since Headroom wrote it
 * is left alone unless its box is ticked, after reading what the write would undo.
 */
export function SyncPlanModal({ title, plan, busy, error, onApply, onDismiss }: Props) {
  const styles = useStyles2(getStyles);
  const [confirmed, setConfirmed] = useState<string[]>([]);
  const pending = plan.actions.filter((a) => a.kind !== 'unchanged');
  const writable = pending.filter((a) => !a.editedByPerson || confirmed.includes(a.uid));
  const toggle = (uid: string, on: boolean) =>
    setConfirmed((current) => (on ? [...current, uid] : current.filter((u) => u !== uid)));
  return (
    <Modal title={title} isOpen onDismiss={onDismiss} className={styles.modal}>
      <div data-testid="headroom-sync-plan">
        {/* First, where it is seen without scrolling past the plan. */}
        {error && (
          <Alert severity="error" title={t('alerts.sync.refused', 'Grafana refused the write')}>
            {error}
          </Alert>
        )}
        {pending.length === 0 && (
          <p>{t('alerts.sync.nothing', 'Grafana already holds these rules exactly: nothing to write.')}</p>
        )}
        {plan.actions.map((action) => (
          <div key={action.uid} className={styles.action}>
            <Stack direction="row" gap={1} alignItems="center">
              <Badge text={kindText(action.kind)} color={KIND_COLOR[action.kind]} />
              <span className={styles.ruleTitle}>{action.title}</span>
              <code className={styles.uid}>{action.uid}</code>
            </Stack>
            {action.editedByPerson && (
              <Alert
                severity="warning"
                title={t('alerts.sync.edited', 'A person edited this rule since Headroom wrote it')}
                className={styles.alert}
              >
                <p>
                  {action.kind === 'delete'
                    ? t('alerts.sync.will-not-delete', 'Headroom will not delete it unless you confirm.')
                    : t(
                        'alerts.sync.will-not-overwrite',
                        'Headroom will not overwrite it unless you confirm. Writing would undo these changes:'
                      )}
                </p>
                {action.kind !== 'delete' && <Diff lines={action.diff} />}
                <Checkbox
                  label={
                    action.kind === 'delete'
                      ? t('alerts.sync.delete-anyway', 'Delete the edited rule anyway')
                      : t('alerts.sync.overwrite-anyway', 'Overwrite the edited rule anyway')
                  }
                  value={confirmed.includes(action.uid)}
                  onChange={(event) => toggle(action.uid, event.currentTarget.checked)}
                />
              </Alert>
            )}
            {!action.editedByPerson && action.kind === 'update' && <Diff lines={action.diff} />}
          </div>
        ))}
      </div>
      <Modal.ButtonRow>
        <Button variant="secondary" fill="outline" onClick={onDismiss}>
          {t('alerts.sync.cancel', 'Cancel')}
        </Button>
        <Button
          icon={busy ? 'spinner' : 'save'}
          disabled={busy || writable.length === 0}
          onClick={() => onApply(confirmed)}
        >
          {writable.length === 1
            ? t('alerts.sync.apply-one', 'Apply 1 change')
            : t('alerts.sync.apply', 'Apply {{changes}} changes', { changes: writable.length })}
        </Button>
      </Modal.ButtonRow>
    </Modal>
  );
}

function Diff({ lines }: { lines: string[] }) {
  const styles = useStyles2(getStyles);
  if (lines.length === 0) {
    return null;
  }
  return (
    <pre className={styles.diff} data-testid="headroom-rule-diff">
      {lines.join('\n')}
    </pre>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  modal: css({ width: 'min(960px, 95vw)' }),
  action: css({ padding: theme.spacing(1, 0), borderBottom: `1px solid ${theme.colors.border.weak}` }),
  ruleTitle: css({ fontWeight: theme.typography.fontWeightMedium }),
  uid: css({ color: theme.colors.text.secondary }),
  alert: css({ marginTop: theme.spacing(1), marginBottom: 0 }),
  diff: css({
    fontSize: theme.typography.bodySmall.fontSize,
    whiteSpace: 'pre-wrap',
    wordBreak: 'break-all',
    maxHeight: 240,
    overflow: 'auto',
    marginTop: theme.spacing(1),
  }),
});
