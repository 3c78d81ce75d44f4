import type { ScopedVars } from '@grafana/data';

import { filterText, interpolateFilter } from './filterInterpolation';
import { multiVariable, templateSrvOver } from './testing/sceneTemplateSrv';

const nodes = ['gpu-node-1', 'gpu-node-2', 'gpu-node-3'];

describe('interpolateFilter', () => {
  it('means no filter for an empty field', () => {
    const templateSrv = templateSrvOver([]);

    expect(interpolateFilter(undefined, {}, templateSrv)).toBeUndefined();
    expect(interpolateFilter('  ', {}, templateSrv)).toBeUndefined();
  });

  it('keeps a typed value as one literal value', () => {
    expect(interpolateFilter(' gpu-node-1 ', {}, templateSrvOver([]))).toEqual(['gpu-node-1']);
  });

  it('gives every selected value of a multi-value variable, in any reference syntax', () => {
    const templateSrv = templateSrvOver([multiVariable('node', nodes, ['gpu-node-1', 'gpu-node-3'])]);

    for (const reference of ['$node', '${node}', '[[node]]']) {
      expect(interpolateFilter(reference, {}, templateSrv)).toEqual(['gpu-node-1', 'gpu-node-3']);
    }
  });

  it('means no filter when the variable is set to All', () => {
    const templateSrv = templateSrvOver([multiVariable('node', nodes, ['$__all'])]);

    expect(interpolateFilter('$node', {}, templateSrv)).toBeUndefined();
  });

  it('means no filter for All with a custom all value such as .*', () => {
    const templateSrv = templateSrvOver([multiVariable('node', nodes, '$__all', '.*')]);

    expect(interpolateFilter('$node', {}, templateSrv)).toBeUndefined();
  });

  it('passes regex characters, quotes, commas, pipes and newlines through as literal values', () => {
    const awkward = ['team.a|b', 'say "hi", \'bye\'', 'line1\nline2', 'a\\b', '{x}[0-9]+$'];
    const templateSrv = templateSrvOver([multiVariable('namespace', awkward, awkward)]);

    expect(interpolateFilter('$namespace', {}, templateSrv)).toEqual(awkward);
  });

  it('combines literal text with each value: gpu-$rack', () => {
    const templateSrv = templateSrvOver([multiVariable('rack', ['a', 'b'], ['a', 'b'])]);

    expect(interpolateFilter('gpu-$rack-x', {}, templateSrv)).toEqual(['gpu-a-x', 'gpu-b-x']);
  });

  it('uses the repeated panel value from scopedVars, even when the variable is at All', () => {
    const templateSrv = templateSrvOver([multiVariable('node', nodes, ['$__all'])]);
    const scopedVars: ScopedVars = { node: { text: 'gpu-node-2', value: 'gpu-node-2' } };

    expect(interpolateFilter('$node', scopedVars, templateSrv)).toEqual(['gpu-node-2']);
  });

  it('treats a literal $__all as All and leaves unknown variables as typed', () => {
    const templateSrv = templateSrvOver([]);

    expect(interpolateFilter('$__all', {}, templateSrv)).toBeUndefined();
    expect(interpolateFilter('$unknown', {}, templateSrv)).toEqual(['$unknown']);
  });

  it('reads a typed JSON array as several literal values', () => {
    expect(interpolateFilter('["node-a", "node,b"]', {}, templateSrvOver([]))).toEqual(['node-a', 'node,b']);
    expect(interpolateFilter('[rack-1]', {}, templateSrvOver([]))).toEqual(['[rack-1]']);
  });
});

describe('filterText', () => {
  it('writes no filter as empty text, one value as itself and several as a JSON array', () => {
    expect(filterText(undefined)).toBe('');
    expect(filterText(['gpu-node-1'])).toBe('gpu-node-1');
    expect(filterText(['a|b', 'c,"d"'])).toBe('["a|b","c,\\"d\\""]');
  });

  it('round-trips through interpolateFilter, even for a value that looks like a JSON array', () => {
    const templateSrv = templateSrvOver([]);
    for (const values of [['gpu-node-1'], ['a|b', 'c,"d"', 'line1\nline2'], ['["x"]']]) {
      expect(interpolateFilter(filterText(values), {}, templateSrv)).toEqual(values);
    }
  });
});
