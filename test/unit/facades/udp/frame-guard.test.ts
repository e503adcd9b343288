// The signing guard alone: accept once, refuse the replay, the stale, the unsigned and the forged;
// a MAC is forgotten only once it could no longer pass the timestamp check.
import { describe, expect, it } from 'vitest';

import { decodeFrame, DROP, encodeFrame, frameGuard, type Frame } from '../../../../controller/facades/udp/index.js';

const KEY = 'guard-test-key-0123456789';
const T = 1_764_680_000;
const frame = (timestamp: number, seq: number, key: string | null = KEY): Frame => {
  const decoded = decodeFrame(encodeFrame({ code: 4, timestamp, payload: { sender: 'peer', seq }, key: key ?? undefined }), {
    maxBytes: 8192,
  });
  if (!decoded.ok) throw new Error(decoded.reason);
  return decoded.frame;
};

describe('frame guard', () => {
  it('accepts a signed frame once and drops its replay', () => {
    const guard = frameGuard({ key: KEY, maxSkewSeconds: 60 });
    const f = frame(T, 1);
    expect(guard.check(f, T)).toBeNull();
    expect(guard.check(f, T + 30)).toBe(DROP.replay);
    expect(guard.check(frame(T, 2), T)).toBeNull();
  });

  it('drops unsigned, forged and stale frames (either way of the clock)', () => {
    const guard = frameGuard({ key: KEY, maxSkewSeconds: 60 });
    expect(guard.check(frame(T, 1, null), T)).toBe(DROP.unsigned);
    expect(guard.check(frame(T, 1, 'another-key-0123456789'), T)).toBe(DROP.bad_mac);
    expect(guard.check(frame(T - 61, 1), T)).toBe(DROP.stale);
    expect(guard.check(frame(T + 61, 1), T)).toBe(DROP.stale);
    expect(guard.check(frame(T - 60, 1), T)).toBeNull();
  });

  it('keeps remembering a MAC for as long as its frame could pass the timestamp check', () => {
    const guard = frameGuard({ key: KEY, maxSkewSeconds: 60 });
    const old = frame(T, 1);
    expect(guard.check(old, T)).toBeNull();
    // 6,000 frames in 50 s: more than the default rate limit lets one source send in the whole window.
    for (let i = 0; i < 6000; i++) expect(guard.check(frame(T + (i % 50), 100 + i), T + 50)).toBeNull();
    expect(guard.check(old, T + 50)).toBe(DROP.replay);
    expect(guard.check(frame(T + 10, 110), T + 50)).toBe(DROP.replay);
    // Once it would be stale anyway, it is refused as such.
    expect(guard.check(old, T + 61)).toBe(DROP.stale);
  });

  it('accepts everything without a key', () => {
    expect(frameGuard({ key: undefined, maxSkewSeconds: 60 }).check(frame(0, 1, null), T)).toBeNull();
  });
});
