// Engine events as Server-Sent Events (docs/serve.md#events-over-sse): one batch's until it ends, or
// every batch's. `id:` is the engine's seq, so a reconnect's Last-Event-ID resumes through the
// engine's replay with nothing lost or repeated; gaps and slow-subscriber drops are events too.
import { Hono, type Context } from 'hono';
import { streamSSE, type SSEStreamingApi } from 'hono/streaming';
import { z } from 'zod';

import { EVENT, type BatchEvent, type EventType } from '../../../domain/index.js';
import { BatchctlError } from '../../../errors/index.js';
import type { Engine, SubscriptionMessage } from '../../../engine/index.js';
import type { Authenticate } from '../auth/principal.js';
import { requireViewer } from './bearer-viewer.js';

export interface EventRoutesOptions {
  engine: Engine;
  authenticate: Authenticate;
  /** a comment line this often keeps proxies from closing an idle stream */
  keepaliveMs?: number;
  /** messages the engine queues per stream before dropping it (subscribe's queue_limit) */
  queueLimit?: number;
  /** told when a stream was dropped as too slow (metrics count it) */
  onDropped?: () => void;
}

/** A batch's last event: its stream ends after it. */
const FINAL: ReadonlySet<string> = new Set([EVENT.batchComplete, EVENT.batchFailed, EVENT.batchCancelled, EVENT.batchRefused]);
/** Statuses of a batch still on its way; any other has ended (docs/lifecycle.md). */
const ACTIVE: ReadonlySet<string> = new Set(['queued', 'preflight', 'validating', 'running', 'committing']);

const seqSchema = z.coerce.number().int().nonnegative();
const typesSchema = z
  .string()
  .transform((s) => s.split(',').filter(Boolean))
  .pipe(z.array(z.enum(Object.values(EVENT) as [EventType, ...EventType[]])).min(1));

function query<T>(schema: z.ZodType<T>, raw: string | undefined, field: string): T | undefined {
  if (raw === undefined) return undefined;
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const message = parsed.error.issues[0]?.message ?? 'invalid';
  throw new BatchctlError({
    code: 'INPUT_INVALID',
    message: `${field}: ${message}`,
    hint: 'after_seq and Last-Event-ID are event seq numbers; types is a comma-separated list of event types',
    data: { issues: [{ field, message }] },
  });
}

/** The seq to resume after: the browser's Last-Event-ID on a reconnect wins over the first request's ?after_seq=. */
function resumeFrom(c: Context): number | undefined {
  return (
    query(seqSchema, c.req.header('last-event-id'), 'header.last-event-id') ?? query(seqSchema, c.req.query('after_seq'), 'query.after_seq')
  );
}

const eventMessage = (event: BatchEvent) => ({ id: String(event.seq), event: event.type, data: JSON.stringify(event) });

/**
 * @example
 * app.route('/', eventRoutes({ engine, authenticate }));
 * // curl -N -H 'Authorization: Bearer …' http://127.0.0.1:8022/api/batches/b-…/events
 */
export function eventRoutes({ engine, authenticate, keepaliveMs = 15_000, queueLimit = 1000, onDropped }: EventRoutesOptions): Hono {
  const app = new Hono();

  const stream = (c: Context, { batchId, afterSeq, types }: { batchId?: string; afterSeq: number; types?: EventType[] }) =>
    streamSSE(c, async (sse: SSEStreamingApi) => {
      await new Promise<void>((done) => {
        let finished = false;
        const finish = (): void => {
          if (finished) return;
          finished = true;
          clearInterval(keepalive);
          unsubscribe();
          done();
        };
        // Awaited by subscribe(): a reader that does not take its stream fills its own queue, then is dropped.
        const sink = async (message: SubscriptionMessage): Promise<void> => {
          if (finished) return;
          if (message.kind === 'event') {
            await sse.writeSSE(eventMessage(message.event));
            if (batchId !== undefined && FINAL.has(message.event.type)) finish();
          } else if (message.kind === 'gap') {
            await sse.writeSSE({
              event: 'gap',
              data: JSON.stringify({ after_seq: message.after_seq, purged_through: message.purged_through }),
            });
          } else {
            // Not awaited: the reader that was too slow for the queue may not take this one either.
            onDropped?.();
            void sse.writeSSE({ event: 'dropped', data: JSON.stringify({ reason: message.reason, last_seq: message.last_seq }) });
            finish();
          }
        };
        const keepalive = setInterval(() => void sse.write(': keepalive\n\n'), keepaliveMs);
        const unsubscribe = engine.subscribe(
          { after_seq: afterSeq, queue_limit: queueLimit, ...(batchId ? { batch_id: batchId } : {}), ...(types ? { types } : {}) },
          sink,
        );
        sse.onAbort(finish); // the client went away
      });
    });

  app.get('/api/batches/:id/events', (c) => {
    requireViewer(c, authenticate);
    const batchId = c.req.param('id');
    const { batch } = engine.status(batchId, { itemLimit: 0 }); // BATCH_ID_INVALID, BATCH_NOT_FOUND
    const afterSeq = resumeFrom(c) ?? 0; // from its first event: the whole story of the batch
    const types = query(typesSchema, c.req.query('types'), 'query.types');
    // An ended batch whose final event is at or before the resume point has nothing more to say.
    if (!ACTIVE.has(batch.status) && !endsAfter(engine, batchId, afterSeq)) {
      return streamSSE(c, (sse) => sse.writeSSE({ event: 'end', data: JSON.stringify({ batch_id: batchId, status: batch.status }) }));
    }
    return stream(c, { batchId, afterSeq, ...(types ? { types } : {}) });
  });

  app.get('/api/events', (c) => {
    requireViewer(c, authenticate);
    const afterSeq = resumeFrom(c) ?? engine.lastSeq(); // without one: live events from now
    const types = query(typesSchema, c.req.query('types'), 'query.types');
    return stream(c, { afterSeq, ...(types ? { types } : {}) });
  });

  return app;
}

/** Whether the batch's final event is stored after `afterSeq` (a batch has few stored events: progress is coalesced). */
function endsAfter(engine: Engine, batchId: string, afterSeq: number): boolean {
  let cursor = afterSeq;
  for (;;) {
    const page = engine.events({ batchId, afterSeq: cursor, limit: 500 });
    if (page.some((event) => FINAL.has(event.type))) return true;
    const last = page.at(-1);
    if (!last || page.length < 500) return false;
    cursor = last.seq;
  }
}
