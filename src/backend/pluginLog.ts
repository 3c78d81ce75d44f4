/**
 * Log lines on stderr in hclog's JSON form. go-plugin's client (Grafana) reads the plugin's stderr line by line:
 * a JSON line with `@level`, `@message` and `@timestamp` goes into Grafana's log at that level, any other line at
 * DEBUG only, which Grafana's default level (info) hides (hashicorp/go-plugin client.go `logStderr`, log_entry.go
 * `parseJSON`). The timestamp must match Go's layout `2006-01-02T15:04:05.000000Z07:00` exactly, six digits of
 * fraction, or the whole line falls back to DEBUG.
 */

/** hclog's level names (`hclog.LevelFromString`). */
export type PluginLogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error';

/** `2026-12-06T23:07:59.123000Z`: JavaScript has milliseconds, the layout wants microseconds. */
function hclogTimestamp(at: Date): string {
  return at.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

/** One log line, newline included; extra fields become hclog's key/value pairs. */
export function pluginLogLine(
  level: PluginLogLevel,
  message: string,
  at: Date,
  fields: Readonly<Record<string, string>> = {}
): string {
  return `${JSON.stringify({ '@level': level, '@message': message, '@timestamp': hclogTimestamp(at), ...fields })}\n`;
}
