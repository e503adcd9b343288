// What another writer's commit took away from batchctl (docs/control-file.md#other-writers): a typed
// rewriter that knows only the registry's fields drops `policy` (or some of its keys) and the breakers'
// `recent` history, and batchctl would silently fall back to its defaults. Pure: two JSON values in.

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Dotted paths present in `before` and absent from `after`: `policy`, `policy.<key>[.<key>]`, `circuit_breaker.<e>.recent`. */
export function removedSettings(before: unknown, after: unknown): string[] {
  if (!isObject(before)) return [];
  const next = isObject(after) ? after : {};
  const removed: string[] = [];
  if (isObject(before.policy)) {
    if (!isObject(next.policy)) removed.push('policy');
    else {
      const policy = next.policy;
      for (const [key, value] of Object.entries(before.policy)) {
        if (!Object.hasOwn(policy, key)) removed.push(`policy.${key}`);
        else if (isObject(value) && isObject(policy[key])) {
          const inner = policy[key] as Json;
          for (const sub of Object.keys(value)) if (!Object.hasOwn(inner, sub)) removed.push(`policy.${key}.${sub}`);
        }
      }
    }
  }
  if (isObject(before.circuit_breaker)) {
    const breakers = isObject(next.circuit_breaker) ? next.circuit_breaker : {};
    for (const [ecosystem, entry] of Object.entries(before.circuit_breaker)) {
      const now = breakers[ecosystem];
      if (isObject(entry) && typeof entry.recent === 'string' && entry.recent !== '' && !(isObject(now) && Object.hasOwn(now, 'recent'))) {
        removed.push(`circuit_breaker.${ecosystem}.recent`);
      }
    }
  }
  return removed.sort();
}

/** Whether the dotted path exists in `json` (a removed setting that is back is no longer worth a warning). */
export function hasPath(json: unknown, path: string): boolean {
  let node: unknown = json;
  for (const key of path.split('.')) {
    if (!isObject(node) || !Object.hasOwn(node, key)) return false;
    node = node[key];
  }
  return true;
}
