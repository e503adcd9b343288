// What a WebSocket client may send (docs/serve.md#websocket), one zod schema each, and what the
// server answers besides events. Strict objects: a misspelt field is named, never silently ignored.
import { z } from 'zod';

import { batchIdSchema, EVENT, type EventType } from '../../domain/index.js';

const eventType = z.enum(Object.values(EVENT) as [EventType, ...EventType[]]);

export const clientMessageSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('subscribe'),
    /** only this batch's events (default: every batch) */
    batch_id: batchIdSchema.optional(),
    /** replay the stored events after this seq first (default: live events only) */
    after_seq: z.number().int().nonnegative().optional(),
    /** only these event types */
    types: z.array(eventType).min(1).max(Object.values(EVENT).length).optional(),
  }),
  z.strictObject({ type: z.literal('unsubscribe') }),
  /** answered with `{type: 'pong', id}`: an application-level round trip, beside the protocol's ping frames */
  z.strictObject({ type: z.literal('ping'), id: z.string().max(64).optional() }),
]);
export type ClientMessage = z.infer<typeof clientMessageSchema>;

/** The server's own messages; events are sent as their envelope `{seq, type, batch_id, at, data}`. */
export type ServerMessage =
  | { type: 'subscribed'; after_seq: number; batch_id: string | null; types: readonly EventType[] | null }
  | { type: 'unsubscribed' }
  | { type: 'pong'; id?: string }
  | { type: 'gap'; after_seq: number; purged_through: number }
  | { type: 'dropped'; reason: 'slow'; last_seq: number }
  | { type: 'error'; error: { code: string; message: string; hint?: string; details?: Record<string, unknown> } };
