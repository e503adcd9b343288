// The write pacer keeps GitHub's content-creation limits: a second between writes, 80 a minute, 500 an hour.
import { describe, expect, it } from 'vitest';

import { createPacer, delayBeforeNext } from '../../../controller/github/index.js';

const LIMITS = { perMinute: 80, perHour: 500, minGapMs: 0 };

describe('write pacer', () => {
  it('lets the first write go at once and spaces the next by the minimum gap', () => {
    expect(delayBeforeNext([], 1000, { ...LIMITS, minGapMs: 1000 })).toBe(0);
    expect(delayBeforeNext([1000], 1200, { ...LIMITS, minGapMs: 1000 })).toBe(800);
  });

  it('holds the 81st write of a minute until the first leaves the window', () => {
    const starts = Array.from({ length: 80 }, (_, i) => i * 100);
    expect(delayBeforeNext(starts, 8000, LIMITS)).toBe(60_000 - 8000);
    expect(delayBeforeNext(starts.slice(1), 8000, LIMITS)).toBe(0);
  });

  it('holds the 501st write of an hour', () => {
    const starts = Array.from({ length: 500 }, (_, i) => i * 1000);
    expect(delayBeforeNext(starts, 500_000, LIMITS)).toBe(3_600_000 - 500_000);
  });

  it('paces 200 writes as a stream within both limits', async () => {
    let clock = 0;
    const times: number[] = [];
    const pacer = createPacer({
      now: () => clock,
      sleep: async (ms) => {
        clock += ms;
      },
    });
    for (let i = 0; i < 200; i++) {
      await pacer.take();
      times.push(clock);
    }
    for (let i = 1; i < times.length; i++) expect((times[i] ?? 0) - (times[i - 1] ?? 0)).toBeGreaterThanOrEqual(1000);
    for (let i = 80; i < times.length; i++) expect((times[i] ?? 0) - (times[i - 80] ?? 0)).toBeGreaterThanOrEqual(60_000);
  });
});
