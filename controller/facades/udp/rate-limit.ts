// Per-source rate limit (docs/interlock.md#limits): a token bucket per source address, checked before
// a datagram is decoded, so a flood costs a map lookup. Idle buckets are forgotten; the map is bounded.
export interface SourceLimiter {
  /** false: over the limit, drop it */
  take(source: string, nowMs: number): boolean;
}

const MAX_SOURCES = 10_000;

/** @example const limiter = sourceLimiter({ perSecond: 50, burst: 100 }); if (!limiter.take(rinfo.address, Date.now())) … */
export function sourceLimiter({ perSecond, burst }: { perSecond: number; burst: number }): SourceLimiter {
  const buckets = new Map<string, { tokens: number; at: number }>();
  const sweep = (nowMs: number): void => {
    // A bucket full again is the same as no bucket.
    for (const [source, b] of buckets) if (b.tokens + ((nowMs - b.at) / 1000) * perSecond >= burst) buckets.delete(source);
    // Still too many (a spoofed-source flood): start over rather than grow; each new source gets a full bucket anyway.
    if (buckets.size >= MAX_SOURCES) buckets.clear();
  };
  return {
    take(source, nowMs) {
      let bucket = buckets.get(source);
      if (!bucket) {
        if (buckets.size >= MAX_SOURCES) sweep(nowMs);
        bucket = { tokens: burst, at: nowMs };
        buckets.set(source, bucket);
      }
      bucket.tokens = Math.min(burst, bucket.tokens + (Math.max(0, nowMs - bucket.at) / 1000) * perSecond);
      bucket.at = nowMs;
      if (bucket.tokens < 1) return false;
      bucket.tokens -= 1;
      return true;
    },
  };
}
