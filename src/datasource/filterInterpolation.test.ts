import type { ScopedVars } from '@grafana/data';
import { SwitchVariable } from '@grafana/scenes';

import { filterText, interpolateFilter } from './filterInterpolation';
import {
  closeScenePages,
  GrafanaTemplateSrv,
  multiVariable,
  openScenePage,
  SCENES_COPIES,
  singleVariable,
} from './testing/sceneTemplateSrv';

const nodes = ['gpu-node-1', 'gpu-node-2', 'gpu-node-3'];

afterEach(closeScenePages);

// Grafana 12.4 interpolates with its own scenes copy (6.x); the plugin bundles 9.x. Both must give the same filters.
describe.each(SCENES_COPIES)('interpolateFilter, interpolated by the $name scenes copy', (scenes) => {
  const page = (...args: Parameters<typeof openScenePage>) => openScenePage(args[0], { scenes, ...args[1] });

  it('means no filter for an empty field', () => {
    const { templateSrv } = page([]);

    expect(interpolateFilter(undefined, {}, templateSrv)).toBeUndefined();
    expect(interpolateFilter('  ', {}, templateSrv)).toBeUndefined();
  });

  it('keeps a typed value as one literal value', () => {
    expect(interpolateFilter(' gpu-node-1 ', {}, page([]).templateSrv)).toEqual(['gpu-node-1']);
  });

  it('gives the value of a single-value variable', () => {
    const { templateSrv, panelScopedVars } = page([singleVariable('node', nodes, 'gpu-node-2')]);

    expect(interpolateFilter('$node', panelScopedVars, templateSrv)).toEqual(['gpu-node-2']);
  });

  it('gives every selected value of a multi-value variable, in any reference syntax, from a panel or the page', () => {
    const { templateSrv, panelScopedVars } = page([multiVariable('node', nodes, ['gpu-node-1', 'gpu-node-3'])]);

    for (const reference of ['$node', '${node}', '[[node]]']) {
      // A query runner passes its scene object; a call without one interpolates against the active page.
      expect(interpolateFilter(reference, panelScopedVars, templateSrv)).toEqual(['gpu-node-1', 'gpu-node-3']);
      expect(interpolateFilter(reference, {}, templateSrv)).toEqual(['gpu-node-1', 'gpu-node-3']);
    }
  });

  it("means no filter for All: scenes gives every option's value, getVariables() says All", () => {
    const { templateSrv, panelScopedVars } = page([multiVariable('node', nodes, '$__all')]);

    expect(templateSrv.replace('$node', panelScopedVars, 'csv')).toBe(nodes.join(','));
    expect(interpolateFilter('$node', panelScopedVars, templateSrv)).toBeUndefined();
  });

  it('means no filter for All with a custom all value such as .*, on the page or only on the panel', () => {
    const { templateSrv, panelScopedVars } = page([multiVariable('node', nodes, '$__all', '.*')], {
      panelVariables: [multiVariable('namespace', ['team-a', 'team-b'], '$__all', '.*')],
    });

    expect(interpolateFilter('$node', panelScopedVars, templateSrv)).toBeUndefined();
    // getVariables() lists the page's root variables only: the panel's All is recognised by its raw `.*`.
    expect(templateSrv.getVariables().map((v) => v.name)).toEqual(['node']);
    expect(interpolateFilter('$namespace', panelScopedVars, templateSrv)).toBeUndefined();
  });

  it("means no filter for Headroom's own all value, `$__all`", () => {
    const { templateSrv, panelScopedVars } = page([multiVariable('node', nodes, '$__all', '$__all')]);

    expect(interpolateFilter('$node', panelScopedVars, templateSrv)).toBeUndefined();
  });

  it("gives every option's value for All without a custom value on a panel's own variable", () => {
    const { templateSrv, panelScopedVars } = page([], {
      panelVariables: [multiVariable('namespace', ['team-a', 'team-b'], '$__all')],
    });

    expect(interpolateFilter('$namespace', panelScopedVars, templateSrv)).toEqual(['team-a', 'team-b']);
  });

  it('still interpolates when getVariables() throws for a variable type Grafana cannot convert', () => {
    const { templateSrv, panelScopedVars } = page([
      new SwitchVariable({ name: 'live' }),
      multiVariable('node', nodes, ['gpu-node-2']),
      multiVariable('namespace', ['team-a'], '$__all', '.*'),
    ]);

    expect(() => templateSrv.getVariables()).toThrow('Unsupported variable type');
    expect(interpolateFilter('$node', panelScopedVars, templateSrv)).toEqual(['gpu-node-2']);
    expect(interpolateFilter('$namespace', panelScopedVars, templateSrv)).toBeUndefined();
  });

  it('passes regex characters, quotes, commas, pipes and newlines through as literal values', () => {
    const awkward = ['team.a|b', 'say "hi", \'bye\'', 'line1\nline2', 'a\\b', '{x}[0-9]+$'];
    const { templateSrv, panelScopedVars } = page([multiVariable('namespace', awkward, awkward)]);

    expect(interpolateFilter('$namespace', panelScopedVars, templateSrv)).toEqual(awkward);
  });

  it('combines literal text with each value: gpu-$rack', () => {
    const { templateSrv, panelScopedVars } = page([multiVariable('rack', ['a', 'b'], ['a', 'b'])]);

    expect(interpolateFilter('gpu-$rack-x', panelScopedVars, templateSrv)).toEqual(['gpu-a-x', 'gpu-b-x']);
  });

  it('uses the repeated panel value from scopedVars, even when the variable is at All', () => {
    const { templateSrv, panelScopedVars } = page([multiVariable('node', nodes, '$__all')]);
    const scopedVars: ScopedVars = { ...panelScopedVars, node: { text: 'gpu-node-2', value: 'gpu-node-2' } };

    expect(interpolateFilter('$node', scopedVars, templateSrv)).toEqual(['gpu-node-2']);
  });

  it('treats a literal $__all as All and leaves unknown variables as typed', () => {
    const { templateSrv, panelScopedVars } = page([]);

    expect(interpolateFilter('$__all', panelScopedVars, templateSrv)).toBeUndefined();
    expect(interpolateFilter('$unknown', panelScopedVars, templateSrv)).toEqual(['$unknown']);
  });

  it('reads a typed JSON array as several literal values', () => {
    const { templateSrv } = page([]);

    expect(interpolateFilter('["node-a", "node,b"]', {}, templateSrv)).toEqual(['node-a', 'node,b']);
    expect(interpolateFilter('[rack-1]', {}, templateSrv)).toEqual(['[rack-1]']);
  });
});

describe('interpolateFilter outside scenes (no scene object, no active scene)', () => {
  const templateSrv = new GrafanaTemplateSrv();

  it('substitutes scopedVars only, and leaves page variables as typed', () => {
    const scopedVars: ScopedVars = { node: { text: 'gpu-node-2', value: 'gpu-node-2' } };

    expect(interpolateFilter('$node', scopedVars, templateSrv)).toEqual(['gpu-node-2']);
    expect(interpolateFilter('$namespace', {}, templateSrv)).toEqual(['$namespace']);
  });
});

describe('filterText', () => {
  it('writes no filter as empty text, one value as itself and several as a JSON array', () => {
    expect(filterText(undefined)).toBe('');
    expect(filterText(['gpu-node-1'])).toBe('gpu-node-1');
    expect(filterText(['a|b', 'c,"d"'])).toBe('["a|b","c,\\"d\\""]');
  });

  it('round-trips through interpolateFilter, even for a value that looks like a JSON array', () => {
    const templateSrv = new GrafanaTemplateSrv();
    for (const values of [['gpu-node-1'], ['a|b', 'c,"d"', 'line1\nline2'], ['["x"]']]) {
      expect(interpolateFilter(filterText(values), {}, templateSrv)).toEqual(values);
    }
  });
});
