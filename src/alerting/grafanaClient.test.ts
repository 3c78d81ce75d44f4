/** @jest-environment node */
import { Band } from '../engine/thresholds';
import {
  createGrafanaProvisioningClient,
  GrafanaApiError,
  GrafanaForbiddenError,
  GrafanaNotFoundError,
  GrafanaProvisionedRuleError,
  GrafanaUnexpectedAnswerError,
  GrafanaValidationError,
  planSync,
  type GrafanaHttpRequest,
  type GrafanaHttpResponse,
} from './grafanaClient';
import { grafanaRulesForBand } from './grafanaRule';

const band: Band = { mode: 'flat', calibratedAtSeconds: 1_700_000_000, upper: [80] };
const calibration = {
  band,
  method: 'median-mad' as const,
  trainingStartSeconds: 1_699_000_000,
  trainingEndSeconds: 1_699_999_700,
  expectedStartsPerWeek: 1,
  stepSeconds: 300,
};
const rulesFor = (selector: string) =>
  grafanaRulesForBand({ selector, datasourceUid: 'prom', folderUID: 'f', ruleGroup: 'g' }, calibration, {
    forSeconds: 300,
    keepFiringForSeconds: 0,
  });

/** A transport answering each request in turn from `answers`, recording what was asked. */
function scripted(answers: GrafanaHttpResponse[]) {
  const requests: GrafanaHttpRequest[] = [];
  const transport = async (request: GrafanaHttpRequest) => {
    requests.push(request);
    return answers.shift() ?? { status: 599, body: 'no answer scripted' };
  };
  return { client: createGrafanaProvisioningClient(transport), requests };
}

describe('createGrafanaProvisioningClient', () => {
  it('turns a 422 into a validation error quoting Grafana', async () => {
    const client = createGrafanaProvisioningClient(async () => ({ status: 422, body: { message: 'bad model' } }));
    const [rule] = rulesFor('x');
    await expect(client.createRule(rule)).rejects.toBeInstanceOf(GrafanaValidationError);
    await expect(client.createRule(rule)).rejects.toThrow(/422 "bad model"/);
  });

  it("adds the permission Grafana's alerting handler says is missing", async () => {
    const body = {
      statusCode: 403,
      messageId: 'alerting.unauthorized',
      message: "user is not authorized to create a new alert rule 'r'",
      extra: { permissions: 'action:datasources:query scopes:datasources:uid:prom' },
    };
    const client = createGrafanaProvisioningClient(async () => ({ status: 403, body }));
    await expect(client.createRule(rulesFor('x')[0])).rejects.toThrow(
      `403 "user is not authorized to create a new alert rule 'r' (needs action:datasources:query scopes:datasources:uid:prom)"`
    );
  });

  it('never repeats a credential Grafana (or a proxy before it) echoes in an error', async () => {
    const echoed = 'upstream said: Authorization: Bearer glsa_abc123_def, cookie grafana_session=0123abcd; sorry';
    const client = createGrafanaProvisioningClient(async () => ({ status: 502, body: { message: echoed } }));
    const failure = client.listRules();
    await expect(failure).rejects.toThrow('Authorization: [redacted], cookie grafana_session=[redacted]; sorry');
    await expect(client.listRules()).rejects.not.toThrow(/glsa_abc123|0123abcd/);
  });

  it('names the URL and the status when something other than Grafana answers', async () => {
    const url = 'http://grafana.example/api/v1/provisioning/alert-rules';
    const loginPage = '<!DOCTYPE html>\n<html><head><title>Grafana</title></head><body>Sign in</body></html>';
    const cases: Array<[GrafanaHttpResponse, string]> = [
      [{ status: 200, url, body: loginPage }, `${url} answered 200 with an HTML page`],
      [
        { status: 302, url, location: 'http://grafana.example/login', body: '' },
        `${url} answered 302 with a redirect to http://grafana.example/login`,
      ],
      [
        { status: 200, url, body: { rules: [] } },
        `${url} answered 200 with JSON that is not a list of alert rules ({"rules":[]})`,
      ],
      [
        { status: 200, url, body: [{ title: 'no uid' }] },
        `${url} answered 200 with JSON that is not a list of alert rules`,
      ],
      [{ status: 502, url, body: 'Bad Gateway' }, `${url} answered 502 with text "Bad Gateway"`],
      // The app's transport knows only the path.
      [{ status: 200, body: loginPage }, '/api/v1/provisioning/alert-rules answered 200 with an HTML page'],
    ];
    for (const [answer, expected] of cases) {
      const failure = scripted([answer]).client.listRules();
      await expect(failure).rejects.toBeInstanceOf(GrafanaUnexpectedAnswerError);
      await expect(scripted([answer]).client.listRules()).rejects.toThrow(`Listing alert rules: ${expected}`);
    }
    // A read that expects a folder gets none; a delete expects nothing but still no sign-in page.
    await expect(scripted([{ status: 200, body: '' }]).client.getFolder('headroom')).rejects.toThrow(
      '/api/folders/headroom answered 200 with an empty answer where a folder was expected'
    );
    await expect(scripted([{ status: 204, body: '' }]).client.deleteRule('r')).resolves.toBeUndefined();
    await expect(scripted([{ status: 200, body: loginPage }]).client.deleteRule('r')).rejects.toThrow(
      'answered 200 with an HTML page'
    );
  });

  it('takes a 500 for deleting a rule that is gone as done, and any other 500 as a failure', async () => {
    // A caller without alert.rules.provisioning:write gets 500 when the rule is gone (CalculateRuleDelete).
    const gone = scripted([
      { status: 500, body: { message: 'Internal Server Error' } },
      { status: 404, body: '' },
    ]);
    await expect(gone.client.deleteRule('r')).resolves.toBeUndefined();
    expect(gone.requests.map((r) => r.method)).toEqual(['DELETE', 'GET']);
    const [rule] = rulesFor('x');
    const present = scripted([
      { status: 500, body: { message: 'Internal Server Error' } },
      { status: 200, body: rule },
    ]);
    await expect(present.client.deleteRule(rule.uid)).rejects.toBeInstanceOf(GrafanaApiError);
  });

  it("explains Grafana's 500 for overwriting a rule another tool provisioned", async () => {
    const [rule] = rulesFor('x');
    const { client } = scripted([
      { status: 500, body: { message: 'Internal Server Error' } },
      { status: 200, body: { ...rule, provenance: 'api' } },
    ]);
    const failure = client.updateRule(rule);
    await expect(failure).rejects.toBeInstanceOf(GrafanaProvisionedRuleError);
    await expect(failure).rejects.toThrow(/provenance "api"/);
  });

  it("reads an app's jsonData, {} when none was saved, and names the permission a 403 lacks", async () => {
    const jsonData = { monthlyBudget: 1000 };
    const { client, requests } = scripted([
      { status: 200, body: { id: 'headroom-capacity-app', enabled: true, jsonData, secureJsonFields: { k: true } } },
      { status: 200, body: { id: 'headroom-capacity-app', enabled: false, jsonData: null } },
      { status: 403, body: { message: 'Access Denied' } },
      { status: 404, body: { message: 'Plugin not found, no installed plugin with that id' } },
    ]);
    await expect(client.appJsonData('headroom-capacity-app')).resolves.toEqual(jsonData);
    await expect(client.appJsonData('headroom-capacity-app')).resolves.toEqual({});
    expect(requests[0]).toMatchObject({ method: 'GET', path: '/api/plugins/headroom-capacity-app/settings' });
    const denied = client.appJsonData('headroom-capacity-app');
    await expect(denied).rejects.toBeInstanceOf(GrafanaForbiddenError);
    await expect(denied).rejects.toThrow(
      /403 "Access Denied"\. .*plugins\.app:access on plugins:id:headroom-capacity-app/
    );
    const missing = client.appJsonData('headroom-capacity-app');
    await expect(missing).rejects.toBeInstanceOf(GrafanaNotFoundError);
    await expect(missing).rejects.toThrow(/no app headroom-capacity-app installed/);
  });

  it('sets a group interval without sending its rules, so Grafana keeps them as they are', async () => {
    const { client, requests } = scripted([{ status: 200, body: { title: 'g', folderUid: 'f', interval: 300 } }]);
    await client.setRuleGroupInterval('f', 'g', 300);
    expect(requests[0]).toMatchObject({
      method: 'PUT',
      path: '/api/v1/provisioning/folder/f/rule-groups/g',
      body: { title: 'g', folderUid: 'f', interval: 300 },
    });
    expect(requests[0].body).not.toHaveProperty('rules');
  });
});

describe('planSync', () => {
  it('writes two rules with the same title: Grafana 12 allows it', () => {
    const [a] = rulesFor('x');
    const [b] = rulesFor('y');
    const plan = planSync([a, { ...b, title: a.title }], []);
    expect(plan.actions.map((action) => [action.kind, action.uid])).toEqual([
      ['create', a.uid],
      ['create', b.uid],
    ]);
  });
});
