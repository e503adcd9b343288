// With a shared key (docs/interlock.md#signing): a frame must carry a MAC that verifies, a timestamp
// within max_skew_seconds of this clock, and a MAC not seen before from its sender. Checked before any
// state changes: a forged frame touches nothing but the drop counter.
import { timingSafeEqual } from 'node:crypto';

import type { Frame } from './decode-frame.js';
import { DROP, type DropReason } from './drop-reasons.js';
import { macOf } from './wire.js';

export interface FrameGuard {
  /** null: accept (and remember the MAC); else the reason to drop */
  check(frame: Frame, nowSeconds: number): DropReason | null;
}

/**
 * MACs remembered per sender; past this the oldest go first. Only frames that verify are remembered
 * (a replay is refused, not stored), so only a key holder fills the window: 16,384 is more than a
 * sender within the default rate limit (50/s) sends in the 120 s a frame can stay un-stale.
 */
const PER_SENDER = 16_384;
/** senders remembered (each needs the key to be created) */
const SENDERS = 256;

/** @example const guard = frameGuard({ key, maxSkewSeconds: 60 }); const reason = guard.check(frame, now); */
export function frameGuard({ key, maxSkewSeconds }: { key: string | undefined; maxSkewSeconds: number }): FrameGuard {
  if (key === undefined) return { check: () => null };
  const seen = new Map<string, ReplayWindow>();
  return {
    check(frame, nowSeconds) {
      if (frame.mac === null) return DROP.unsigned;
      const expected = macOf(frame.mac.signed, key);
      if (!timingSafeEqual(expected, frame.mac.tag)) return DROP.bad_mac;
      const ts = frame.timestamp ?? 0;
      if (Math.abs(nowSeconds - ts) > maxSkewSeconds) return DROP.stale;
      const sender = frame.payload.sender;
      let window = seen.get(sender);
      const id = frame.mac.tag.toString('base64');
      if (window?.has(id)) return DROP.replay;
      if (!window) {
        if (seen.size >= SENDERS) seen.delete(seen.keys().next().value as string);
        window = replayWindow();
        seen.set(sender, window);
      }
      window.add(id, ts, nowSeconds - maxSkewSeconds);
      return null;
    },
  };
}

interface ReplayWindow {
  has(id: string): boolean;
  /** remember `id` (its frame's timestamp `ts`), forgetting the oldest that are older than `before` or over the cap */
  add(id: string, ts: number, before: number): void;
}

/**
 * A set plus an arrival-ordered queue: the oldest are forgotten from the front, stopping at the first
 * that must stay, so each frame costs O(1) amortised (a Map's own front fills with deletion holes
 * that every iteration walks again).
 */
function replayWindow(): ReplayWindow {
  const ids = new Set<string>();
  let queue: Array<{ id: string; ts: number }> = [];
  let head = 0;
  return {
    has: (id) => ids.has(id),
    add(id, ts, before) {
      ids.add(id);
      queue.push({ id, ts });
      for (let first = queue[head]; first !== undefined && (ids.size > PER_SENDER || first.ts < before); first = queue[head]) {
        ids.delete(first.id);
        head += 1;
      }
      if (head > 1024 && head * 2 > queue.length) {
        queue = queue.slice(head);
        head = 0;
      }
    },
  };
}
