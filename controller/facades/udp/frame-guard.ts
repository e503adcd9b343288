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
  // sender → MAC (hex) → the timestamp it carried; a MAC older than the skew window can never come back un-stale.
  const seen = new Map<string, Map<string, number>>();
  // Oldest first (insertion order): drop what is over the cap or can no longer pass the skew check,
  // and stop at the first that must stay, so each frame costs O(1) amortised.
  const forget = (macs: Map<string, number>, nowSeconds: number): void => {
    for (const [mac, ts] of macs) {
      if (macs.size <= PER_SENDER && nowSeconds - ts <= maxSkewSeconds) return;
      macs.delete(mac);
    }
  };
  return {
    check(frame, nowSeconds) {
      if (frame.mac === null) return DROP.unsigned;
      const expected = macOf(frame.mac.signed, key);
      if (!timingSafeEqual(expected, frame.mac.tag)) return DROP.bad_mac;
      const ts = frame.timestamp ?? 0;
      if (Math.abs(nowSeconds - ts) > maxSkewSeconds) return DROP.stale;
      const sender = frame.payload.sender;
      let macs = seen.get(sender);
      const id = frame.mac.tag.toString('hex');
      if (macs?.has(id)) return DROP.replay;
      if (!macs) {
        if (seen.size >= SENDERS) seen.delete(seen.keys().next().value as string);
        macs = new Map();
        seen.set(sender, macs);
      }
      macs.set(id, ts);
      forget(macs, nowSeconds);
      return null;
    },
  };
}
