import React, { useState } from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import {
  SceneObjectBase,
  sceneGraph,
  TextBoxVariable,
  type SceneComponentProps,
  type SceneFlexLayout,
  type SceneObjectState,
} from '@grafana/scenes';
import { t } from '@grafana/i18n';
import { Alert, Button, Field, Input, Stack, useStyles2 } from '@grafana/ui';
import {
  checkWhatIfForm,
  EMPTY_WHAT_IF_FORM,
  forecastHorizon,
  formOfText,
  whatIfSentence,
  whatIfSummary,
  type WhatIfErrors,
  type WhatIfForm,
} from './forecastWhatIf';
import { WHAT_IF_VARIABLE } from './forecastVariables';
import { buildWhatIfComparison } from './whatIfPanels';
import { sectionStyles } from '../shared/sectionStyles';
import { frameText } from '../../datasource/wording/frameTexts';
import { WHAT_IF_TEST_IDS } from './whatIfTestIds';

interface ForecastWhatIfState extends SceneObjectState {
  comparison: SceneFlexLayout;
}

/**
 * "Launch what-if": a launch entered as start, end and traffic multiplier goes into the page's `whatif` variable (so
 * the URL holds it), the page's one capacity query plans it beside the baseline, and this shows the difference in a
 * sentence above the side-by-side panels.
 */
export class ForecastWhatIf extends SceneObjectBase<ForecastWhatIfState> {
  static Component = ForecastWhatIfRenderer;

  constructor(state: Partial<ForecastWhatIfState> = {}) {
    super({ comparison: buildWhatIfComparison(), ...state });
  }

  variable(): TextBoxVariable {
    const variable = sceneGraph.lookupVariable(WHAT_IF_VARIABLE, this);
    if (!(variable instanceof TextBoxVariable)) {
      throw new Error(`The Forecast page has no ${WHAT_IF_VARIABLE} text variable.`);
    }
    return variable;
  }
}

/** The form's fields, labelled in the user's language (so built at render, not at load). */
function whatIfFields(): Array<{
  key: keyof WhatIfForm;
  label: string;
  description: string;
  placeholder: string;
  width: number;
}> {
  return [
    {
      key: 'start',
      label: t('forecast.what-if.start.label', 'Start (UTC)'),
      description: t('forecast.what-if.start.description', 'First hour of the launch'),
      placeholder: '2025-06-02 18:00',
      width: 22,
    },
    {
      key: 'end',
      label: t('forecast.what-if.end.label', 'End (UTC)'),
      description: t('forecast.what-if.end.description', 'Exclusive'),
      placeholder: '2025-06-03 00:00',
      width: 22,
    },
    {
      key: 'multiplier',
      label: t('forecast.what-if.multiplier.label', 'Traffic multiplier'),
      description: t('forecast.what-if.multiplier.description', 'Demand × this inside the window'),
      placeholder: '2',
      width: 14,
    },
  ];
}

function ForecastWhatIfRenderer({ model }: SceneComponentProps<ForecastWhatIf>) {
  const { comparison } = model.useState();
  const variable = model.variable();
  const { value } = variable.useState();
  const text = String(value ?? '');
  const { data } = sceneGraph.getData(model).useState();
  const frames = data?.series ?? [];
  const [form, setForm] = useState<WhatIfForm>(() => formOfText(text));
  const [errors, setErrors] = useState<WhatIfErrors>({});
  const [shownText, setShownText] = useState(text);
  const styles = useStyles2(getStyles);
  // A link, the back button or Clear changes the variable: the form follows it (set while rendering, React's way
  // of adjusting state to a changed input).
  if (text !== shownText) {
    setShownText(text);
    setForm(formOfText(text));
    setErrors({});
  }

  const summary = whatIfSummary(frames);
  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    const checked = checkWhatIfForm(form, forecastHorizon(frames));
    if ('errors' in checked) {
      setErrors(checked.errors);
      return;
    }
    setErrors({});
    variable.setValue(checked.text);
  };
  const clear = () => {
    setForm(EMPTY_WHAT_IF_FORM);
    setErrors({});
    variable.setValue('');
  };

  return (
    <section
      className={styles.section}
      data-testid={WHAT_IF_TEST_IDS.panel}
      aria-label={t('forecast.what-if.title', 'Launch what-if')}
    >
      <h2 className={styles.heading}>{t('forecast.what-if.title', 'Launch what-if')}</h2>
      <p className={styles.help}>
        {t(
          'forecast.what-if.help',
          'Add a launch to the business calendar: demand inside its window is multiplied, the rest of the forecast is unchanged, and the plan with the launch is shown beside today’s. The link keeps the scenario.'
        )}
      </p>
      <form onSubmit={submit} noValidate>
        <Stack direction="row" gap={2} wrap="wrap" alignItems="flex-start">
          {whatIfFields().map((f) => (
            <Field
              key={f.key}
              label={f.label}
              description={f.description}
              invalid={errors[f.key] !== undefined}
              error={errors[f.key]}
              htmlFor={`headroom-whatif-${f.key}`}
            >
              <Input
                id={`headroom-whatif-${f.key}`}
                width={f.width}
                placeholder={f.placeholder}
                value={form[f.key]}
                onChange={(e) => {
                  const next = e.currentTarget.value;
                  setForm((current) => ({ ...current, [f.key]: next }));
                }}
              />
            </Field>
          ))}
          <div className={styles.buttons}>
            <Button type="submit" icon="calculator-alt">
              {t('forecast.what-if.submit', 'Plan the launch')}
            </Button>
            {text !== '' && (
              <Button type="button" variant="secondary" onClick={clear}>
                {t('forecast.what-if.clear', 'Clear')}
              </Button>
            )}
          </div>
        </Stack>
      </form>
      {summary && 'error' in summary && (
        <Alert
          severity="error"
          title={t('forecast.what-if.refused', 'This launch cannot be planned')}
          data-testid={WHAT_IF_TEST_IDS.refused}
        >
          {summary.refusal ? frameText(summary.refusal) : summary.error}
        </Alert>
      )}
      {summary && 'events' in summary && (
        <>
          <p className={styles.sentence} data-testid={WHAT_IF_TEST_IDS.sentence}>
            {whatIfSentence(summary)}
          </p>
          {summary.notes.map((note, i) => (
            <Alert key={note} severity="info" title={t('forecast.what-if.note', 'Note')}>
              {summary.noteCodes[i] ? frameText(summary.noteCodes[i]) : note}
            </Alert>
          ))}
          <comparison.Component model={comparison} />
        </>
      )}
    </section>
  );
}

function getStyles(theme: GrafanaTheme2) {
  return {
    ...sectionStyles(theme),
    help: css({ color: theme.colors.text.secondary, marginBottom: theme.spacing(2) }),
    // Level with the inputs: below the label and description of each field.
    buttons: css({ display: 'flex', gap: theme.spacing(1), marginTop: theme.spacing(5.5) }),
    sentence: css({
      fontSize: theme.typography.h4.fontSize,
      fontWeight: theme.typography.fontWeightMedium,
      margin: theme.spacing(1, 0, 2),
    }),
  };
}
