// Which engine events become which signals to peers (docs/interlock.md#signals), and what each carries:
// ids, counts and codes only (a bounded frame; repository text stays home).
import { EVENT, type BatchEvent, type EventType } from '../../domain/index.js';
import type { SignalName } from './signals.js';

export const EVENT_SIGNALS = {
  [EVENT.batchStarted]: 'BATCH_STARTED',
  [EVENT.batchComplete]: 'BATCH_COMPLETE',
  [EVENT.batchFailed]: 'BATCH_FAILED',
  // A batch that ended without landing is a failure to a peer; `outcome` tells them apart.
  [EVENT.batchCancelled]: 'BATCH_FAILED',
  [EVENT.batchRefused]: 'BATCH_FAILED',
  [EVENT.rollbackStarted]: 'ROLLBACK_STARTED',
  [EVENT.rollbackComplete]: 'ROLLBACK_COMPLETE',
} as const satisfies Partial<Record<EventType, SignalName>>;

export const SIGNALLED_EVENTS = Object.keys(EVENT_SIGNALS) as Array<keyof typeof EVENT_SIGNALS>;

const PICK = [
  'title',
  'ecosystem',
  'total',
  'status',
  'success_count',
  'failure_count',
  'commit',
  'tag',
  'paths',
  'partial',
  'rollback_batch_id',
];

/** The signal for an event and its fields, or null for an event peers are not told about. */
export function signalOfEvent(event: BatchEvent): { name: SignalName; fields: Record<string, unknown> } | null {
  const name = (EVENT_SIGNALS as Partial<Record<EventType, SignalName>>)[event.type];
  if (name === undefined) return null;
  const fields: Record<string, unknown> = { batch_id: event.batch_id, event_seq: event.seq, at: event.at, outcome: event.type };
  for (const key of PICK) {
    const value = event.data[key];
    if (value === undefined) continue;
    fields[key] = typeof value === 'string' ? value.slice(0, 200) : value;
  }
  const reason = event.data['reason'] as { code?: unknown } | undefined;
  if (typeof reason?.code === 'string') fields['reason_code'] = reason.code;
  return { name, fields };
}
