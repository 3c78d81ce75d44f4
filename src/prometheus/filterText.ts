/**
 * A filter field as typed or as written back after interpolation (`node-1`, or `["node-a","node-b"]`): one value,
 * or several as a JSON array of strings. Shared by the browser data source, after it has replaced template
 * variables, and by the backend, which receives queries whose variables Grafana has already replaced.
 */
export function literalValues(text: string): string[] {
  return isJsonStringArray(text) ? (JSON.parse(text) as string[]) : [text];
}

export function isJsonStringArray(text: string): boolean {
  if (!text.startsWith('[')) {
    return false;
  }
  try {
    const parsed: unknown = JSON.parse(text);
    return Array.isArray(parsed) && parsed.every((item) => typeof item === 'string');
  } catch {
    return false;
  }
}
