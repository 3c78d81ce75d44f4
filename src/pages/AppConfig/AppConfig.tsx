import React, { useState } from 'react';
import { t } from '@grafana/i18n';
import { InternalTimeZones, type AppPluginMeta, type PluginConfigPageProps } from '@grafana/data';
import { DataSourcePicker, locationService } from '@grafana/runtime';
import { Alert, Button, Field, FieldSet, Input, SecretInput, Stack, Text, TimeZonePicker } from '@grafana/ui';
import { HEADROOM_DATASOURCE_TYPE, RECALIBRATION_TOKEN_KEY } from '../../constants';
import { gpuPricesOf, settingsProblems, type HeadroomAppSettings } from '../../datasource/appSettings';
import { BusinessCalendarEditor } from './BusinessCalendarEditor';
import { GpuPriceEditor } from './GpuPriceEditor';
import { pickerZone, storedZone } from './budgetTimeZone';
import { grafanaFailureMessage } from '../../datasource/grafanaFailureMessage';
import { saveAppSettings } from './saveAppSettings';

export type AppConfigProps = PluginConfigPageProps<AppPluginMeta<HeadroomAppSettings>>;

export default function AppConfig({ plugin }: AppConfigProps) {
  const [defaultDatasourceUid, setDefaultDatasourceUid] = useState(plugin.meta.jsonData?.defaultDatasourceUid);
  const [businessCalendar, setBusinessCalendar] = useState(plugin.meta.jsonData?.businessCalendar ?? []);
  const [gpuPrices, setGpuPrices] = useState(gpuPricesOf(plugin.meta.jsonData));
  const [budgetText, setBudgetText] = useState(String(plugin.meta.jsonData?.monthlyBudget ?? ''));
  const [timeZone, setTimeZone] = useState(() => pickerZone(plugin.meta.jsonData?.budgetTimeZone));
  const [saving, setSaving] = useState(false);
  // Write-only: Grafana sends the browser only whether the secret is set, never its value.
  const [token, setToken] = useState('');
  const storedAtLoad = Boolean(plugin.meta.secureJsonFields?.[RECALIBRATION_TOKEN_KEY]);
  const [tokenStored, setTokenStored] = useState(storedAtLoad);
  // A zone saved as typed before the picker, that no time zone matches: the picker cannot show it.
  const zoneProblem = settingsProblems([], undefined, storedZone(timeZone))[0];
  const [saveError, setSaveError] = useState<string>();

  const onSave = async () => {
    const monthlyBudget = budgetText.trim() === '' ? undefined : Number(budgetText);
    const budgetTimeZone = storedZone(timeZone);
    const problems = settingsProblems(gpuPrices, monthlyBudget, budgetTimeZone);
    if (problems.length > 0) {
      // Nothing is sent, and everything typed stays in the form to be corrected.
      setSaveError(problems.join(' '));
      return;
    }
    setSaving(true);
    setSaveError(undefined);
    try {
      await saveAppSettings(
        plugin.meta,
        {
          ...plugin.meta.jsonData,
          defaultDatasourceUid,
          businessCalendar,
          gpuPrices: gpuPrices.map((price) => ({ ...price, gpuModel: price.gpuModel.trim() })),
          monthlyBudget,
          budgetTimeZone,
        },
        // A token typed in replaces the stored one; a reset stores none (the backend ignores an empty token).
        token.trim() !== '' || (storedAtLoad && !tokenStored) ? { [RECALIBRATION_TOKEN_KEY]: token.trim() } : undefined
      );
      // Grafana hands the app its settings when a page loads: reload so the pages see the new ones.
      locationService.reload();
    } catch (error) {
      setSaveError(grafanaFailureMessage(error));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Stack direction="column" gap={2}>
      <Text element="p">
        {t(
          'config.intro',
          'Headroom pages read the fleet through a Headroom data source, which sits on top of the Prometheus that scrapes your DCGM exporter and kube-state-metrics. Each page has a data source picker; this setting chooses the one they open with.'
        )}
      </Text>
      <FieldSet label={t('config.defaults.legend', 'Defaults')}>
        <Field
          label={t('config.defaults.datasource.label', 'Default Headroom data source')}
          description={t(
            'config.defaults.datasource.description',
            "When none is set, pages use Grafana's default or first Headroom data source."
          )}
        >
          <div data-testid="headroom-config-datasource">
            <DataSourcePicker
              type={HEADROOM_DATASOURCE_TYPE}
              current={defaultDatasourceUid ?? null}
              noDefault
              onChange={(settings) => setDefaultDatasourceUid(settings.uid)}
              onClear={() => setDefaultDatasourceUid(undefined)}
              width={40}
            />
          </div>
        </Field>
      </FieldSet>
      <FieldSet label={t('config.calendar.legend', 'Business calendar')}>
        <Text element="p" color="secondary">
          {t(
            'config.calendar.description',
            'Launches, promotions and holidays: forecasts that use the calendar take them into account and list those in their horizon. The effect is the expected demand factor (1.5 = +50 %); leave it empty to let the model learn it.'
          )}
        </Text>
        <BusinessCalendarEditor events={businessCalendar} onChange={setBusinessCalendar} />
      </FieldSet>
      <FieldSet label={t('config.prices.legend', 'GPU prices')}>
        <Text element="p" color="secondary">
          {t(
            'config.prices.description',
            'US dollars per GPU-hour, per GPU model as DCGM names it, for the cost mix of capacity plans and the cost of idle GPUs. The shipped rows are public cloud list prices (each names its instance, region, list and date); replace them with your contract prices and say where each comes from.'
          )}
        </Text>
        <GpuPriceEditor prices={gpuPrices} onChange={setGpuPrices} />
      </FieldSet>
      <FieldSet label={t('config.budget.legend', 'Budget')}>
        <Field
          label={t('config.budget.monthly.label', 'Monthly GPU budget ($)')}
          description={t(
            'config.budget.monthly.description',
            "The Efficiency page projects this month's GPU spend against it. Empty: no budget."
          )}
        >
          <Input
            aria-label={t('config.budget.monthly.aria-label', 'Monthly GPU budget')}
            data-testid="headroom-config-budget"
            type="number"
            min={0}
            width={24}
            prefix="$"
            value={budgetText}
            onChange={(e) => setBudgetText(e.currentTarget.value)}
          />
        </Field>
        <div data-testid="headroom-config-budget-time-zone">
          <Field
            label={t('config.budget.time-zone.label', 'Budget time zone')}
            invalid={zoneProblem !== undefined}
            error={zoneProblem}
            description={t(
              'config.budget.time-zone.description',
              "The month to date starts at midnight on the first in this time zone (your invoice's). Default: UTC."
            )}
          >
            <TimeZonePicker
              includeInternal={[InternalTimeZones.utc]}
              value={timeZone}
              onChange={(zone) => zone !== undefined && setTimeZone(zone)}
              width={40}
            />
          </Field>
        </div>
      </FieldSet>
      <FieldSet label={t('config.recalibration.legend', 'Recalibration')}>
        <Field
          label={t('config.recalibration.token.label', 'Service-account token')}
          description={t(
            'config.recalibration.token.description',
            "Headroom's backend recalibrates its alert rules every day with it (a Grafana service-account token with " +
              'the Editor role). Not needed where Grafana manages a service account for the plugin. Stored encrypted by ' +
              'Grafana and never shown again.'
          )}
        >
          <SecretInput
            aria-label={t('config.recalibration.token.aria-label', 'Recalibration service-account token')}
            data-testid="headroom-config-recalibration-token"
            isConfigured={tokenStored}
            value={token}
            onChange={(event) => setToken(event.currentTarget.value)}
            onReset={() => {
              setTokenStored(false);
              setToken('');
            }}
            width={60}
          />
        </Field>
      </FieldSet>
      {saveError && (
        <Alert
          severity="error"
          title={t('config.save.error-title', 'Settings not saved')}
          data-testid="headroom-config-error"
        >
          {saveError}
        </Alert>
      )}
      <div>
        <Button onClick={onSave} disabled={saving} data-testid="headroom-config-save">
          {saving ? t('config.save.saving', 'Saving…') : t('config.save.button', 'Save settings')}
        </Button>
      </div>
    </Stack>
  );
}
