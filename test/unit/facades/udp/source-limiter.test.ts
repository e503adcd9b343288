// The per-source token bucket: a burst, then the refill rate; each source has its own bucket.
import { describe, expect, it } from 'vitest';

import { sourceLimiter } from '../../../../controller/facades/udp/rate-limit.js';

describe('source limiter', () => {
  it('lets a burst through, then one per refill interval', () => {
    const limiter = sourceLimiter({ perSecond: 2, burst: 3 });
    expect([1, 2, 3, 4].map(() => limiter.take('10.0.0.1', 0))).toEqual([true, true, true, false]);
    expect(limiter.take('10.0.0.1', 499)).toBe(false);
    expect(limiter.take('10.0.0.1', 500)).toBe(true);
    expect(limiter.take('10.0.0.1', 500)).toBe(false);
  });

  it('keeps each source apart', () => {
    const limiter = sourceLimiter({ perSecond: 1, burst: 1 });
    expect(limiter.take('10.0.0.1', 0)).toBe(true);
    expect(limiter.take('10.0.0.1', 0)).toBe(false);
    expect(limiter.take('10.0.0.2', 0)).toBe(true);
  });

  it('stays bounded under a spoofed-source flood and still limits a source it tracks', () => {
    const limiter = sourceLimiter({ perSecond: 1, burst: 2 });
    for (let i = 0; i < 25_000; i++) limiter.take(`spoof-${i}`, 0);
    expect(limiter.take('10.0.0.9', 0)).toBe(true);
    expect(limiter.take('10.0.0.9', 0)).toBe(true);
    expect(limiter.take('10.0.0.9', 0)).toBe(false);
  });
});
