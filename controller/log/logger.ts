// Structured logs (pino) on stderr: stdout belongs to results and NDJSON events (and MCP's protocol).
// A server (`batchctl serve`) has no results on stdout, so its request log goes there (fd 1).
import { pino, type Logger } from 'pino';

export type { Logger };

/** What an asynchronous log may hold unwritten (a stalled stdout reader): past it, lines are dropped, never memory grown. */
const MAX_QUEUED_BYTES = 16 * 1024 * 1024;
/** Lines are written 8 KiB at a time (sonic-boom writes at most 16 KiB at once), or every 100 ms, whichever comes first: a line is never later than that. */
const BATCH_BYTES = 8 * 1024;
const FLUSH_MS = 100;

export function createLogger({ level = 'warn', name = 'batchctl', fd = 2 }: { level?: string; name?: string; fd?: 1 | 2 } = {}): Logger {
  // A server's request log (fd 1) is buffered: one line per request would be one write(2) per request
  // on the event loop (docs/benchmarks.md#http-reads). pino flushes what is queued when the process
  // exits. stderr stays
  // synchronous: the CLI's few lines must be out before it exits, whatever way it exits.
  const destination =
    fd === 1
      ? pino.destination({ fd, sync: false, minLength: BATCH_BYTES, periodicFlush: FLUSH_MS, maxLength: MAX_QUEUED_BYTES })
      : pino.destination({ fd, sync: true });
  return pino({ name, level }, destination);
}
