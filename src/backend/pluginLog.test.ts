import { pluginLogLine } from './pluginLog';

describe('pluginLogLine', () => {
  // 2026-12-06 23:07:59.123 UTC, written out by hand in go-plugin's layout 2006-01-02T15:04:05.000000Z07:00.
  const at = new Date(Date.UTC(2026, 11, 6, 23, 7, 59, 123));

  test('one JSON line with hclog keys, the timestamp with six digits of fraction', () => {
    expect(pluginLogLine('error', 'no free port', at)).toBe(
      '{"@level":"error","@message":"no free port","@timestamp":"2026-12-06T23:07:59.123000Z"}\n'
    );
  });

  test('whole seconds keep six zeros; extra fields ride along; a newline in the message stays in the one line', () => {
    const line = pluginLogLine('warn', 'a\nb', new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 0)), { refId: 'A' });
    expect(line.split('\n')).toEqual([
      '{"@level":"warn","@message":"a\\nb","@timestamp":"2026-01-02T03:04:05.000000Z","refId":"A"}',
      '',
    ]);
  });
});
