// Engine events (docs/outcomes.md#exit-codes): one envelope with a global sequence number, whatever the transport.
export const EVENT = {
  batchStarted: 'batch_started',
  batchProgress: 'batch_progress',
  batchComplete: 'batch_complete',
  batchFailed: 'batch_failed',
  batchCancelled: 'batch_cancelled',
  batchRefused: 'batch_refused',
  rollbackStarted: 'rollback_started',
  rollbackComplete: 'rollback_complete',
  controlChanged: 'control_changed',
  breakerChanged: 'breaker_changed',
  recovered: 'recovered',
  /** retention deleted old records, events or refs (`batchctl purge`, or the daily pass after a run) */
  purged: 'purged',
} as const;
export type EventType = (typeof EVENT)[keyof typeof EVENT];

export interface BatchEvent<D = Record<string, unknown>> {
  seq: number;
  type: EventType;
  batch_id: string | null;
  at: string;
  data: D;
}

/** What batch_progress carries (docs/events.md#progress-events). */
export interface ProgressData {
  completed: number;
  /** every step that did not land: failed or skipped (as the result's failure_count) */
  failed: number;
  /** of `failed`, the steps never started (a dependency failed, the batch was stopped) */
  skipped: number;
  total: number;
  current: { index: number; type: string; path: string } | null;
  ops_per_second: number;
  eta_seconds: number | null;
  rss_bytes: number;
}
