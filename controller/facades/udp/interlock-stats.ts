// The counters of GET /api/interlock/stats (docs/interlock.md#stats): datagrams sent and received,
// accepted per signal, dropped per reason (every reason listed, zeros too, so a dashboard sees the shape).
import { DROP_REASONS, type DropReason } from './drop-reasons.js';
import type { SignalName } from './signals.js';

export interface InterlockStats {
  sent: number;
  send_failed: number;
  received: number;
  accepted: number;
  accepted_by_signal: Partial<Record<SignalName, number>>;
  dropped: Record<DropReason, number>;
  dropped_total: number;
}

export interface StatsCounter {
  sent(): void;
  sendFailed(): void;
  received(): void;
  accepted(signal: SignalName): void;
  dropped(reason: DropReason): void;
  snapshot(): InterlockStats;
}

export function statsCounter(): StatsCounter {
  const stats: InterlockStats = {
    sent: 0,
    send_failed: 0,
    received: 0,
    accepted: 0,
    accepted_by_signal: {},
    dropped: Object.fromEntries(DROP_REASONS.map((r) => [r, 0])) as Record<DropReason, number>,
    dropped_total: 0,
  };
  return {
    sent: () => void (stats.sent += 1),
    sendFailed: () => void (stats.send_failed += 1),
    received: () => void (stats.received += 1),
    accepted(signal) {
      stats.accepted += 1;
      stats.accepted_by_signal[signal] = (stats.accepted_by_signal[signal] ?? 0) + 1;
    },
    dropped(reason) {
      stats.dropped[reason] += 1;
      stats.dropped_total += 1;
    },
    snapshot: () => ({ ...stats, accepted_by_signal: { ...stats.accepted_by_signal }, dropped: { ...stats.dropped } }),
  };
}
