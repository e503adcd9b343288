// One ecosystem's breaker entry that does not parse ("state": "Open", as a hand edit or another tool
// may write it) refuses that ecosystem's batches only (docs/control-file.md#circuit-breakers): it is
// set aside before the file is checked, so the other ecosystems keep running.
import { breakerSchema, CONTROL_FILE_NAME } from '../domain/index.js';

export interface UnreadableBreaker {
  ecosystem: string;
  /** the offending field: circuit_breaker.npm.state */
  field: string;
  message: string;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The file's JSON without its unreadable breaker entries (a copy when any), and those entries. */
export function setAsideUnreadableBreakers(json: unknown): { json: unknown; unreadable: UnreadableBreaker[] } {
  if (!isObject(json) || !isObject(json.circuit_breaker)) return { json, unreadable: [] };
  const unreadable: UnreadableBreaker[] = [];
  const kept: Record<string, unknown> = {};
  for (const [ecosystem, entry] of Object.entries(json.circuit_breaker)) {
    const parsed = breakerSchema.safeParse(entry);
    if (parsed.success) {
      kept[ecosystem] = entry;
      continue;
    }
    const issue = parsed.error.issues[0];
    const field = ['circuit_breaker', ecosystem, ...(issue?.path ?? []).map(String)].join('.');
    unreadable.push({ ecosystem, field, message: `${field}: ${issue?.message ?? 'invalid'}` });
  }
  return unreadable.length === 0 ? { json, unreadable } : { json: { ...json, circuit_breaker: kept }, unreadable };
}

/** The warning line for one: shown by every command that reads the file. */
export const unreadableBreakerWarning = (entry: UnreadableBreaker): string =>
  `${CONTROL_FILE_NAME}: ${entry.message}; batches of ecosystem "${entry.ecosystem}" are refused until it is fixed`;
