// One WebSocket client (docs/serve.md#websocket): its messages parsed with zod, its one subscription
// to the engine's events, and the bound that keeps a slow client from growing the server's memory.
import { WebSocket, type RawData } from 'ws';

import type { Engine, SubscriptionMessage } from '../../engine/index.js';
import type { Logger } from '../../log/index.js';
import { clientMessageSchema, type ServerMessage } from './messages.js';

/** Close code of a client too slow to keep up (RFC 6455 "try again later"). */
export const CLOSE_TOO_SLOW = 1013;

export interface ConnectionOptions {
  ws: WebSocket;
  engine: Engine;
  /** bytes waiting in the server's send buffer before the client counts as too slow */
  maxBufferedBytes: number;
  /** messages the engine queues for this client before it drops the subscription (subscribe's queue_limit) */
  queueLimit: number;
  /** how long a too-slow client has to take its close frame before the socket is destroyed */
  closeGraceMs: number;
  logger: Pick<Logger, 'warn'>;
  principal: string;
  onDropped?: () => void;
}

export interface Connection {
  /** end the subscription (the socket closes on its own) */
  end(): void;
}

function invalid(field: string, message: string): ServerMessage {
  return { type: 'error', error: { code: 'INPUT_INVALID', message: `${field}: ${message}`, details: { field } } };
}

export function openConnection({
  ws,
  engine,
  maxBufferedBytes,
  queueLimit,
  closeGraceMs,
  logger,
  principal,
  onDropped,
}: ConnectionOptions): Connection {
  let unsubscribe: (() => void) | null = null;
  let slow = false;
  const stop = (): void => {
    unsubscribe?.();
    unsubscribe = null;
  };
  const tooSlow = (lastSeq: number | null): void => {
    if (slow) return;
    slow = true;
    stop();
    onDropped?.();
    logger.warn({ principal, last_seq: lastSeq, buffered: ws.bufferedAmount }, 'a WebSocket client was too slow; closed with 1013');
    ws.close(CLOSE_TOO_SLOW, 'too slow: subscribe again from the last seq you saw');
    // A client that reads nothing never takes the close frame either: its buffer is let go after the grace.
    setTimeout(() => ws.terminate(), closeGraceMs).unref();
  };
  /** Resolves once the frame is handed to the socket; refuses to queue past the byte bound. */
  const send = (message: unknown): Promise<void> => {
    if (ws.readyState !== WebSocket.OPEN || slow) return Promise.resolve();
    const sent = new Promise<void>((resolve) => ws.send(JSON.stringify(message), () => resolve()));
    if (ws.bufferedAmount > maxBufferedBytes) tooSlow(null);
    return sent;
  };
  // Awaited by subscribe(): a client that does not take its frames fills its own queue, then is dropped.
  const sink = async (message: SubscriptionMessage): Promise<void> => {
    if (message.kind === 'event') return send(message.event);
    if (message.kind === 'gap') return send({ type: 'gap', after_seq: message.after_seq, purged_through: message.purged_through });
    // Not awaited: a client that reads nothing never takes this frame, and it must be closed all the same.
    // The close frame queues behind it, so a client that does read gets `dropped`, then 1013.
    void send({ type: 'dropped', reason: message.reason, last_seq: message.last_seq });
    tooSlow(message.last_seq);
  };

  ws.on('message', (data: RawData, isBinary: boolean) => {
    if (isBinary) return void send(invalid('(message)', 'send JSON text frames, not binary ones'));
    let value: unknown;
    try {
      value = JSON.parse(data.toString());
    } catch {
      return void send(invalid('(message)', 'not JSON'));
    }
    const parsed = clientMessageSchema.safeParse(value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const keys = issue?.code === 'unrecognized_keys' ? issue.keys : [];
      const field = [...(issue?.path ?? []).map(String), ...keys].join('.') || 'type';
      return void send(invalid(field, keys.length > 0 ? 'unknown field' : (issue?.message ?? 'invalid')));
    }
    const message = parsed.data;
    if (message.type === 'ping') return void send({ type: 'pong', ...(message.id === undefined ? {} : { id: message.id }) });
    stop();
    if (message.type === 'unsubscribe') return void send({ type: 'unsubscribed' });
    const afterSeq = message.after_seq ?? engine.lastSeq();
    void send({ type: 'subscribed', after_seq: afterSeq, batch_id: message.batch_id ?? null, types: message.types ?? null });
    unsubscribe = engine.subscribe(
      {
        after_seq: afterSeq,
        queue_limit: queueLimit,
        ...(message.batch_id === undefined ? {} : { batch_id: message.batch_id }),
        ...(message.types === undefined ? {} : { types: message.types }),
      },
      sink,
    );
  });
  ws.on('close', stop);
  return { end: stop };
}
