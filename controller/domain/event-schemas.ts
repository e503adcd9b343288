// The event union (docs/events.md#event-types): one zod schema per event type, discriminated on `type`,
// shared by every facade that carries events (WebSocket, SSE, MCP, UDP, the dashboard) and by the
// tests that check what the engine emits. Payloads are open objects (`looseObject`): a field added
// later does not break a client built against today's schema.
import { z } from 'zod';

import type { EventType } from './events.js';
import { BATCH_STATUS } from './lifecycle.js';

const batchStatus = z.enum(Object.values(BATCH_STATUS) as [string, ...string[]]);
const oid = z.string().regex(/^[0-9a-f]{40}([0-9a-f]{24})?$/);

const reasonSchema = z.looseObject({ code: z.string(), message: z.string(), hint: z.string().optional() });

/** What the final events carry: the batch result (docs/outcomes.md), errors capped at 100. */
export const batchResultDataSchema = z.looseObject({
  batch_id: z.string(),
  status: batchStatus,
  success_count: z.number().int().nonnegative(),
  failure_count: z.number().int().nonnegative(),
  commit: oid.nullable(),
  tag: z.string().nullable(),
  rollback_available: z.boolean(),
  backup_id: z.string().nullable(),
  errors: z
    .array(z.looseObject({ index: z.number().int(), type: z.string(), path: z.string(), code: z.string(), message: z.string() }))
    .max(100),
  reason: reasonSchema.optional(),
  duration_ms: z.number().nonnegative(),
});

export const progressDataSchema = z.looseObject({
  completed: z.number().int().nonnegative(),
  failed: z.number().int().nonnegative(),
  // Optional: progress stored before the field existed has none.
  skipped: z.number().int().nonnegative().optional(),
  total: z.number().int().nonnegative(),
  current: z.looseObject({ index: z.number().int(), type: z.string(), path: z.string() }).nullable(),
  ops_per_second: z.number().nonnegative(),
  eta_seconds: z.number().nonnegative().nullable(),
  rss_bytes: z.number().nonnegative(),
});

const envelope = {
  seq: z.number().int().positive(),
  at: z.iso.datetime(),
};
const ofBatch = z.string();

function event<T extends string, D extends z.ZodType>(type: T, batchId: z.ZodType, data: D) {
  return z.looseObject({ ...envelope, type: z.literal(type), batch_id: batchId, data });
}

export const batchEventSchemas = {
  batch_started: event(
    'batch_started',
    ofBatch,
    z.looseObject({ title: z.string(), ecosystem: z.string(), total: z.number().int().nonnegative() }),
  ),
  batch_progress: event('batch_progress', ofBatch, progressDataSchema),
  batch_complete: event('batch_complete', ofBatch, batchResultDataSchema),
  batch_failed: event('batch_failed', ofBatch, batchResultDataSchema),
  batch_cancelled: event('batch_cancelled', ofBatch, batchResultDataSchema),
  batch_refused: event('batch_refused', ofBatch, batchResultDataSchema),
  rollback_started: event(
    'rollback_started',
    ofBatch,
    z.looseObject({ paths: z.number().int().nonnegative(), partial: z.boolean(), restore: z.boolean() }),
  ),
  rollback_complete: event(
    'rollback_complete',
    ofBatch,
    z.looseObject({ rollback_batch_id: z.string(), status: batchStatus, commit: oid.nullable() }),
  ),
  control_changed: event('control_changed', ofBatch.nullable(), z.looseObject({ change: z.string() })),
  breaker_changed: event(
    'breaker_changed',
    ofBatch.nullable(),
    z.looseObject({ ecosystem: z.string(), from: z.string(), to: z.string(), manual: z.boolean() }),
  ),
  recovered: event(
    'recovered',
    ofBatch,
    z.looseObject({
      batch_id: z.string(),
      action: z.enum(['finished', 'restored']),
      paths: z.number().int().nonnegative(),
      commit: oid.optional(),
    }),
  ),
  purged: event(
    'purged',
    z.null(),
    z.looseObject({ auto: z.boolean(), batches: z.number().int(), items: z.number().int(), events: z.number().int() }),
  ),
} as const satisfies Record<EventType, z.ZodType>; // fails to compile when EVENT gains a type without a schema

/** Any engine event, checked: `batchEventSchema.parse(json)` at a facade's edge. */
export const batchEventSchema = z.discriminatedUnion('type', [
  batchEventSchemas.batch_started,
  batchEventSchemas.batch_progress,
  batchEventSchemas.batch_complete,
  batchEventSchemas.batch_failed,
  batchEventSchemas.batch_cancelled,
  batchEventSchemas.batch_refused,
  batchEventSchemas.rollback_started,
  batchEventSchemas.rollback_complete,
  batchEventSchemas.control_changed,
  batchEventSchemas.breaker_changed,
  batchEventSchemas.recovered,
  batchEventSchemas.purged,
]);
export type TypedBatchEvent = z.infer<typeof batchEventSchema>;
