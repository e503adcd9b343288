// Structured logs (pino) on stderr: stdout belongs to results and NDJSON events (and MCP's protocol).
import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger({ level = 'warn', name = 'batchctl' }: { level?: string; name?: string } = {}): Logger {
  return pino({ name, level }, pino.destination({ fd: 2, sync: true }));
}
