// The decoder is total: 100,000 random and mutated datagrams (seeded, so a failure replays), none throws,
// and every rejection is one of the named drop reasons.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import {
  decodeFrame,
  DROP_REASONS,
  encodeFrame,
  frameGuard,
  resolveSignal,
  SIGNAL_NAMES,
  signalTable,
  type DropReason,
} from '../../../../controller/facades/udp/index.js';

const REASONS: ReadonlySet<string> = new Set(DROP_REASONS);
const table = signalTable();
const accepted = new Set(SIGNAL_NAMES);
const guard = frameGuard({ key: 'fuzz-key-0123456789', maxSkewSeconds: 60 });

/** The whole receive path short of the socket: decode, name the signal, check the MAC. */
function judge(bytes: Buffer): { ok: true } | { ok: false; reason: DropReason } {
  const decoded = decodeFrame(bytes, { maxBytes: 4096 });
  if (!decoded.ok) return decoded;
  const signal = resolveSignal(decoded.frame, { table, accepted });
  if (!signal.ok) return signal;
  const refused = guard.check(decoded.frame, 1_764_680_000);
  return refused === null ? { ok: true } : { ok: false, reason: refused };
}

const valid = fc
  .record({
    code: fc.integer({ min: 0, max: 0xffff }),
    timestamp: fc.integer({ min: 0, max: 0xffffffff }),
    payload: fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 }),
    sender: fc.string({ minLength: 1, maxLength: 16 }),
    signed: fc.boolean(),
  })
  .map(({ code, timestamp, payload, sender, signed }) =>
    encodeFrame({ code, timestamp, payload: { ...payload, sender }, key: signed ? 'fuzz-key-0123456789' : undefined }),
  );

/** A valid frame, then some bytes flipped, cut, or appended. */
const mutated = fc
  .tuple(
    valid,
    fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 4 }),
    fc.nat(),
    fc.uint8Array({ maxLength: 40 }),
  )
  .map(([frame, flips, cut, tail]) => {
    const bytes = Buffer.from(frame);
    for (const [at, value] of flips) bytes[at % bytes.length] = value;
    return Buffer.concat([bytes.subarray(0, bytes.length - (cut % 3 === 0 ? cut % bytes.length : 0)), Buffer.from(tail)]);
  });

const textual = fc
  .oneof(
    fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
    fc.record({ t: fc.oneof(fc.string(), fc.integer()), s: fc.string(), d: fc.jsonValue(), ts: fc.double() }).map((v) => JSON.stringify(v)),
    fc.string().map((s) => `{${s}`),
  )
  .map((text) => Buffer.from(text));

const garbage = fc.uint8Array({ maxLength: 5000 }).map((a) => Buffer.from(a));

describe('decoding hostile datagrams', () => {
  it('never throws, and names every rejection (100,000 datagrams)', () => {
    const seen = new Map<string, number>();
    fc.assert(
      fc.property(fc.oneof(valid, mutated, mutated, textual, garbage), (bytes) => {
        const verdict = judge(bytes);
        const key = verdict.ok ? 'accepted' : verdict.reason;
        seen.set(key, (seen.get(key) ?? 0) + 1);
        return verdict.ok || REASONS.has(verdict.reason);
      }),
      { numRuns: 100_000, seed: 20261202 },
    );
    // The generators reach deep: past the header, past the JSON, to the signal and the MAC.
    for (const reason of ['short', 'version', 'length', 'json', 'payload', 'unknown_signal', 'unsigned', 'bad_mac', 'stale']) {
      expect(seen.get(reason), reason).toBeGreaterThan(0);
    }
    expect([...seen.values()].reduce((a, b) => a + b, 0)).toBe(100_000);
  });
});
