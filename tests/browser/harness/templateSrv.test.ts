/**
 * The harness's TemplateSrv against what Grafana's public/app/features/templating/template_srv.ts and
 * getVariablesCompatibility/sceneVariablesSetToVariables do (quoted in host/templateSrv.ts). Scene objects are the
 * plugin's scenes copy, as on a Headroom page; interpolation is Grafana's own copy unless a test says otherwise.
 */
import {
  CustomVariable,
  DataSourceVariable,
  EmbeddedScene,
  QueryVariable,
  SafeSerializableSceneObject,
  SceneFlexLayout,
  SceneVariableSet,
  SwitchVariable,
  TextBoxVariable,
  type SceneVariable,
} from '@grafana/scenes';
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { CORE_SCENES, GrafanaTemplateSrv, PLUGIN_SCENES } from './host/templateSrv';

function page(variables: SceneVariable[]) {
  const body = new SceneFlexLayout({ children: [] });
  const scene = new EmbeddedScene({ $variables: new SceneVariableSet({ variables }), body });
  return { scene, scopedVars: { __sceneObject: new SafeSerializableSceneObject(body) } };
}

const nodes = () =>
  new CustomVariable({
    name: 'node',
    query: 'a, b, c',
    isMulti: true,
    includeAll: true,
    value: ['a', 'c'],
    text: ['a', 'c'],
    options: ['a', 'b', 'c'].map((value) => ({ label: value, value })),
  });

let deactivate: Array<() => void> = [];
afterEach(() => {
  deactivate.reverse().forEach((fn) => fn());
  deactivate = [];
});

describe('the scenes copies', () => {
  it("interpolates with Grafana 12.4's own scenes, 6.52.x, unless told to use the plugin's", () => {
    const aliasPackage = path.join(__dirname, '../../../node_modules/grafana-core-scenes/package.json');
    const core = JSON.parse(readFileSync(aliasPackage, 'utf8')) as { name: string; version: string };

    expect(core).toMatchObject({ name: '@grafana/scenes', version: expect.stringMatching(/^6\.52\./) });
    expect(new GrafanaTemplateSrv().scenes).toBe(CORE_SCENES);
    expect(CORE_SCENES.interpolate).not.toBe(PLUGIN_SCENES.interpolate);
  });
});

describe('GrafanaTemplateSrv.replace', () => {
  const templateSrv = new GrafanaTemplateSrv();

  it('interpolates against the scene object in scopedVars, active or not', () => {
    const { scopedVars } = page([nodes()]);

    expect(templateSrv.replace('$node', scopedVars, 'csv')).toBe('a,c');
    expect(templateSrv.replace('${node:pipe}', scopedVars)).toBe('a|c');
  });

  it('without a scene object, interpolates against the active window.__grafanaSceneContext', () => {
    const { scene } = page([nodes()]);
    expect(templateSrv.replace('$node', {}, 'csv')).toBe('$node');

    deactivate.push(scene.activate());
    expect(window.__grafanaSceneContext).toBe(scene);
    expect(templateSrv.replace('$node', {}, 'csv')).toBe('a,c');
    expect(templateSrv.containsTemplate('$node')).toBe(true);
  });

  it('outside scenes, substitutes scopedVars with their format (glob by default) and leaves the rest', () => {
    const interpolations: Parameters<typeof templateSrv.replace>[3] = [];
    const scopedVars = { rack: { text: 'a + b', value: ['a', 'b'] }, one: { text: 'x', value: 'x' } };

    expect(templateSrv.replace('$rack/$one/$none', scopedVars, undefined, interpolations)).toBe('{a,b}/x/$none');
    expect(templateSrv.replace('${rack:pipe}', scopedVars)).toBe('a|b');
    expect(interpolations.map((entry) => [entry.variableName, entry.found])).toEqual([
      ['rack', true],
      ['one', true],
      ['none', false],
    ]);
    expect(templateSrv.containsTemplate('$one')).toBe(false);
  });
});

describe('GrafanaTemplateSrv.getVariables', () => {
  const templateSrv = new GrafanaTemplateSrv();

  it('lists nothing without a scene context', () => {
    expect(templateSrv.getVariables()).toEqual([]);
  });

  it("lists the scene context's variables as Grafana converts them, All as '$__all', active or not", () => {
    const { scene } = page([
      new DataSourceVariable({ name: 'ds', pluginId: 'headroom-capacity-datasource', value: 'headroom' }),
      new QueryVariable({ name: 'namespace', query: 'namespaces()', isMulti: true, includeAll: true, value: '$__all' }),
      nodes(),
      new TextBoxVariable({ name: 'horizon', value: '168' }),
    ]);
    // Grafana reads window.__grafanaSceneContext without checking isActive; an inactive page also keeps these
    // variables from querying for their options here.
    window.__grafanaSceneContext = scene;
    deactivate.push(() => (window.__grafanaSceneContext = undefined));

    expect(templateSrv.getVariables()).toMatchObject([
      { name: 'ds', type: 'datasource', current: { value: 'headroom' }, query: 'headroom-capacity-datasource' },
      { name: 'namespace', type: 'query', multi: true, includeAll: true, current: { value: '$__all' }, options: [] },
      {
        name: 'node',
        type: 'custom',
        current: { value: ['a', 'c'] },
        options: [{ value: 'a', selected: true }, {}, {}],
      },
      { name: 'horizon', type: 'textbox', current: { value: '168', text: '168' }, query: '168' },
    ]);
  });

  it('throws for a variable type Grafana cannot convert', () => {
    const { scene } = page([nodes(), new SwitchVariable({ name: 'live' })]);
    deactivate.push(scene.activate());

    expect(() => templateSrv.getVariables()).toThrow('Unsupported variable type');
  });
});
