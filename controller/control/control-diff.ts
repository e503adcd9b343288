// Which fields of the control file differ between two versions of its JSON (an uncommitted edit
// against HEAD, a commit against its parent), at the top level and one level down: enough to name
// what changed ("circuit_breaker.npm", "policy.protected_paths", "reason") without a full JSON diff.
import { isDeepStrictEqual } from 'node:util';

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Dotted paths of the fields that differ, sorted; `[]` when the two are equal as JSON. */
export function controlDiff(before: unknown, after: unknown): string[] {
  if (!isObject(before) || !isObject(after)) return isDeepStrictEqual(before, after) ? [] : ['(top level)'];
  const fields: string[] = [];
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const a = before[key];
    const b = after[key];
    if (isDeepStrictEqual(a, b)) continue;
    if (!isObject(a) || !isObject(b)) {
      fields.push(key);
      continue;
    }
    for (const sub of new Set([...Object.keys(a), ...Object.keys(b)])) {
      if (!isDeepStrictEqual(a[sub], b[sub])) fields.push(`${key}.${sub}`);
    }
  }
  return fields.sort();
}
