import type { Report } from './dialect.js';

/** One JSON object per line; blank lines are skipped, anything else that is not an object is reported. */
export function parseJsonObject(
  text: string,
  line: number,
  report: Report,
): Record<string, unknown> | undefined {
  const trimmed = text.trim();
  if (trimmed.length === 0) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(trimmed);
  } catch (error) {
    report('E_NETLOG_JSON', `broken JSON: ${(error as Error).message.slice(0, 200)}`, line);
    return undefined;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    report('E_NETLOG_JSON', 'a JSON line that is not an object', line);
    return undefined;
  }
  return value as Record<string, unknown>;
}
