/** @jest-environment node */
import { startsRecalibrationAtBoot } from './recalibrationSettings';

describe('startsRecalibrationAtBoot', () => {
  // Grafana hands a plugin with an `iam` block its account's token and client id, the slug of its plugin id
  // (pluginconfig/envvars.go); the app and the data source run the same executable.
  test.each([
    [
      'the app with its managed account',
      { GF_PLUGIN_APP_CLIENT_SECRET: 'glsa_a', GF_PLUGIN_APP_CLIENT_ID: 'headroom-capacity-app' },
      true,
    ],
    [
      "the data source with its own account (it reads the app's settings, it does not recalibrate)",
      { GF_PLUGIN_APP_CLIENT_SECRET: 'glsa_d', GF_PLUGIN_APP_CLIENT_ID: 'headroom-capacity-datasource' },
      false,
    ],
    ['a client id without a token', { GF_PLUGIN_APP_CLIENT_ID: 'headroom-capacity-app' }, false],
    ['a token without a client id', { GF_PLUGIN_APP_CLIENT_SECRET: 'glsa_a' }, false],
    ['no managed account', {}, false],
  ])('%s', (_name, env, starts) => {
    expect(startsRecalibrationAtBoot(env)).toBe(starts);
  });
});
