// Rendered answers of a read route, kept while the store is unchanged (docs/benchmarks.md#http-reads):
// a dashboard or a script polling `GET /api/batches/:id` of a finished batch then costs the store stamp
// (engine.changeStamp()) instead of five queries and a JSON rendering. An answer with live
// progress is never kept (progress is not stored, so the stamp does not move with it).
import type { Engine } from '../../../engine/index.js';

interface Entry {
  stamp: string;
  body: string;
}

export interface RenderedCache {
  /** the body kept for `key`, if the store has not changed since */
  get(key: string, stamp: string): string | undefined;
  set(key: string, stamp: string, body: string): void;
}

/** Bigger answers (a failed batch's 100 errors with long paths) are rendered each time: memory stays under size × this. */
const MAX_BODY_CHARS = 64 * 1024;

/** At most `size` answers; the oldest goes first. Stale ones are replaced as they are asked for again. */
export function renderedCache(size = 256): RenderedCache {
  const entries = new Map<string, Entry>();
  return {
    get(key, stamp) {
      const entry = entries.get(key);
      return entry?.stamp === stamp ? entry.body : undefined;
    },
    set(key, stamp, body) {
      entries.delete(key);
      if (body.length > MAX_BODY_CHARS) return;
      entries.set(key, { stamp, body });
      if (entries.size > size) entries.delete(entries.keys().next().value as string);
    },
  };
}

const perEngine = new WeakMap<Engine, RenderedCache>();

/** One cache per engine: apps over different repositories (tests, a library user) never share answers. */
export function renderedCacheOf(engine: Engine): RenderedCache {
  let cache = perEngine.get(engine);
  if (!cache) perEngine.set(engine, (cache = renderedCache()));
  return cache;
}
