/** @jest-environment node */
import { managedAccess, startsRecalibrationAtBoot } from './recalibrationSettings';

describe('managedAccess', () => {
  // Grafana sets both names in every call's grafanaConfig and in the process' environment at start.
  const env = { GF_PLUGIN_APP_CLIENT_SECRET: 'glsa_env', GF_APP_URL: 'http://env:3000/' };

  test("the call's configuration first, trimmed; the environment where the call has none or a blank one", () => {
    const call = { GF_PLUGIN_APP_CLIENT_SECRET: ' glsa_call ', GF_APP_URL: 'http://call:3000/' };
    expect(managedAccess(call, env)).toEqual({ token: 'glsa_call', appUrl: 'http://call:3000/' });
    expect(managedAccess({ GF_PLUGIN_APP_CLIENT_SECRET: '  ' }, env)).toEqual({
      token: 'glsa_env',
      appUrl: 'http://env:3000/',
    });
  });

  test('none given, or only blanks: undefined, not an empty string', () => {
    expect(managedAccess({}, {})).toEqual({ token: undefined, appUrl: undefined });
    expect(managedAccess({ GF_APP_URL: ' ' }, { GF_PLUGIN_APP_CLIENT_SECRET: '' })).toEqual({
      token: undefined,
      appUrl: undefined,
    });
  });
});

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
