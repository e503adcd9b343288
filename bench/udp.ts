// udp-decode (issue 14): InterLock frames decoded per second, valid and garbage, against a baseline of
// JSON.parse on the same payload bytes (the least any decoder of a JSON payload does), measured in the
// same run; and frames encoded per second against JSON.stringify of the same payloads.
/*
 * What "decode" means here is the server's whole receive path short of the socket: decodeFrame (header,
 * UTF-8, JSON, the payload schema), then resolveSignal (the code table and the whitelist); with a key,
 * also the HMAC check and the replay window. Garbage is random bytes and valid frames with bytes
 * flipped or cut, in equal parts. Each figure is the median of 5 rounds; contenders alternate first.
 */
import { randomBytes } from 'node:crypto';

import {
  decodeFrame,
  encodeFrame,
  frameGuard,
  resolveSignal,
  SIGNAL_NAMES,
  signalTable,
  type Payload,
} from '../controller/facades/udp/index.js';
import { alternate, type BenchOptions, median, type Outcome, ratioLine } from './report.js';

const KEY = 'bench-shared-key-0123456789';
const table = signalTable();
const accepted = new Set(SIGNAL_NAMES);

function payloads(count: number): Array<{ code: number; payload: Payload }> {
  return Array.from({ length: count }, (_, i) =>
    i % 2 === 0
      ? { code: 0x04, payload: { sender: `peer-${i % 7}`, seq: i, status: 'ready' } }
      : {
          code: 0x31,
          payload: {
            sender: 'batchctl',
            seq: i,
            batch_id: `b-20261202-101500-${(i % 1e6).toString(36).padStart(6, '0')}`,
            event_seq: i * 3,
            at: '2026-12-02T10:15:00.000Z',
            outcome: 'batch_complete',
            status: 'completed',
            success_count: 10,
            failure_count: 0,
            commit: 'a'.repeat(40),
          },
        },
  );
}

function garbage(valid: readonly Buffer[]): Buffer[] {
  return valid.map((frame, i) => {
    if (i % 2 === 0) return randomBytes(12 + (i % 200));
    const bytes = Buffer.from(frame);
    const at = (i * 7) % bytes.length;
    bytes[at] = (bytes[at] ?? 0) ^ 0x5a;
    return i % 3 === 0 ? bytes.subarray(0, bytes.length - 3) : bytes;
  });
}

/** frames per second of `fn` over `frames`, `rounds` times (one warm-up round first). */
function rate(frames: readonly Buffer[], fn: (b: Buffer) => unknown): () => number {
  return () => {
    const t = process.hrtime.bigint();
    for (const f of frames) fn(f);
    return frames.length / (Number(process.hrtime.bigint() - t) / 1e9);
  };
}

function race(baseline: () => number, ours: () => number): { ours: number; base: number } {
  baseline();
  ours(); // warm-up: the JIT sees both before anything counts
  const a: number[] = [];
  const b: number[] = [];
  for (let round = 0; round < 5; round++)
    alternate(
      round,
      () => a.push(baseline()),
      () => b.push(ours()),
    );
  return { ours: median(b), base: median(a) };
}

const perSecond = (n: number): string => `${Math.round(n).toLocaleString('en-US')} frames/s`;

export function udpBench({ quick }: Pick<BenchOptions, 'quick'>): Outcome[] {
  const count = quick ? 20_000 : 200_000;
  const messages = payloads(count);
  const valid = messages.map((m) => encodeFrame({ ...m, timestamp: 1_764_670_500 }));
  const signed = messages.map((m) => encodeFrame({ ...m, timestamp: 1_764_670_500, key: KEY }));
  const junk = garbage(valid);
  const decode = (b: Buffer): unknown => {
    const d = decodeFrame(b, { maxBytes: 8192 });
    return d.ok ? resolveSignal(d.frame, { table, accepted }) : d;
  };
  const jsonOnly = (b: Buffer): unknown => {
    try {
      return JSON.parse(b.toString('utf8', 12, 12 + b.readUInt32BE(4)));
    } catch {
      return null;
    }
  };
  const junkJson = (b: Buffer): unknown => {
    try {
      return JSON.parse(b.toString('utf8', 12));
    } catch {
      return null;
    }
  };
  const what = `${count.toLocaleString('en-US')} frames, median of 5 rounds`;
  const outcomes: Outcome[] = [];

  const v = race(rate(valid, jsonOnly), rate(valid, decode));
  outcomes.push(ratioLine('udp-decode valid', perSecond(v.ours), `JSON.parse ${perSecond(v.base)}`, v.ours / v.base, null, what));

  const g = race(rate(junk, junkJson), rate(junk, decode));
  outcomes.push(ratioLine('udp-decode garbage', perSecond(g.ours), `JSON.parse ${perSecond(g.base)}`, g.ours / g.base, null, what));

  // A fresh guard each round: the replay window must not see the same frames twice.
  const signedDecode = (): number => {
    const guard = frameGuard({ key: KEY, maxSkewSeconds: 60 });
    return rate(signed, (b) => {
      const d = decodeFrame(b, { maxBytes: 8192 });
      return d.ok ? guard.check(d.frame, 1_764_670_500) : d;
    })();
  };
  const s = race(rate(signed, jsonOnly), signedDecode);
  outcomes.push(
    ratioLine(
      'udp-decode signed',
      perSecond(s.ours),
      `JSON.parse ${perSecond(s.base)}`,
      s.ours / s.base,
      null,
      `${what}, HMAC + replay window`,
    ),
  );

  const encode = (): number => {
    const t = process.hrtime.bigint();
    for (const m of messages) encodeFrame({ ...m, timestamp: 1_764_670_500 });
    return count / (Number(process.hrtime.bigint() - t) / 1e9);
  };
  const stringify = (): number => {
    const t = process.hrtime.bigint();
    for (const m of messages) Buffer.from(JSON.stringify(m.payload), 'utf8');
    return count / (Number(process.hrtime.bigint() - t) / 1e9);
  };
  const e = race(stringify, encode);
  outcomes.push(ratioLine('udp-encode', perSecond(e.ours), `JSON.stringify ${perSecond(e.base)}`, e.ours / e.base, null, what));
  return outcomes;
}
