// Structured logs (pino) on stderr: stdout belongs to results and NDJSON events (and MCP's protocol).
// A server (`batchctl serve`) has no results on stdout, so its request log goes there (fd 1).
import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger({ level = 'warn', name = 'batchctl', fd = 2 }: { level?: string; name?: string; fd?: 1 | 2 } = {}): Logger {
  return pino({ name, level }, pino.destination({ fd, sync: true }));
}
