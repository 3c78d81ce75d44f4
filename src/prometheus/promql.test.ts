/** @jest-environment node */
import fc from 'fast-check';

import { anyOfMatcher, matcher, quotePromQLString, regexEscape, selector } from './promql';

/** Reads a PromQL double-quoted literal back the way Prometheus' lexer does (Go escapes), independently of the writer. */
function unquoteGo(literal: string): string {
  expect(literal.startsWith('"') && literal.endsWith('"')).toBe(true);
  const body = literal.slice(1, -1);
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    expect(c).not.toBe('"');
    expect(c).not.toBe('\n');
    if (c !== '\\') {
      out += c;
      continue;
    }
    const e = body[++i];
    const simple: Record<string, string> = {
      n: '\n',
      r: '\r',
      t: '\t',
      '\\': '\\',
      '"': '"',
      a: '\x07',
      b: '\b',
      f: '\f',
      v: '\v',
    };
    if (e in simple) {
      out += simple[e];
    } else if (e === 'x') {
      out += String.fromCharCode(parseInt(body.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      throw new Error(`unexpected escape \\${e}`);
    }
  }
  return out;
}

describe('quotePromQLString', () => {
  it('round-trips any string through Go string escapes', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary' }), (value) => unquoteGo(quotePromQLString(value)) === value));
  });

  it('escapes quotes, backslashes, newlines and control characters', () => {
    expect(quotePromQLString('a"b\\c\nd\te\x01')).toBe('"a\\"b\\\\c\\nd\\te\\x01"');
    expect(quotePromQLString('"}) or vector(1) #')).toBe('"\\"}) or vector(1) #"');
  });
});

describe('regexEscape', () => {
  it('makes any string match only itself in an anchored regular expression', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.string({ unit: 'binary' }), (value, other) => {
        // RE2 and JavaScript agree on escaped metacharacters; the `s` flag lets `.` cross lines as it must not here.
        const re = new RegExp(`^(?:${regexEscape(value)})$`, 'su');
        return re.test(value) && (other === value || !re.test(other));
      })
    );
  });

  it('escapes every RE2 metacharacter', () => {
    expect(regexEscape('a.b*c+d?(e)|[f]{g}^h$\\')).toBe('a\\.b\\*c\\+d\\?\\(e\\)\\|\\[f\\]\\{g\\}\\^h\\$\\\\');
  });
});

describe('matchers', () => {
  it('builds equality and alternation matchers from literal values', () => {
    expect(matcher('node', '=', 'gpu-1')).toBe('node="gpu-1"');
    expect(anyOfMatcher('node', ['a.b', 'c|d'])).toBe('node=~"a\\\\.b|c\\\\|d"');
    expect(anyOfMatcher('node', ['only'])).toBe('node="only"');
    expect(anyOfMatcher('node', [])).toBeUndefined();
    expect(selector('up', [undefined, 'job="x"'])).toBe('up{job="x"}');
  });

  it('rejects names that could carry PromQL', () => {
    expect(() => matcher('node"} or up{a="', '=', 'x')).toThrow(/not a valid Prometheus label name/);
    expect(() => selector('up or vector(1)', [])).toThrow(/not a valid Prometheus metric name/);
  });
});
