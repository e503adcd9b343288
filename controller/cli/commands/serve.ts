// batchctl serve — the long-lived service for one repository (docs/serve.md#running): HTTP API,
// recovery at start, the queue, retention; SIGINT/SIGTERM shut it down gracefully (exit 0).
import { z } from 'zod';

import { readEnvironment, startService } from '../../app/index.js';
import { globalOptionsSchema } from '../global-options.js';

const port = z.coerce.number().int().min(0).max(65_535);

const serveOptionsSchema = globalOptionsSchema.extend({
  http: port.default(8022),
  ws: port.default(9022),
  /** `--udp` alone: true (the config file's port, 3022 by default) */
  udp: z.union([z.literal(true), port]).optional(),
  host: z.string().min(1).default('127.0.0.1'),
  corsOrigin: z.array(z.url()).optional(),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  bodyLimit: z.coerce.number().int().min(1024).optional(),
});

export async function serveCommand(raw: unknown): Promise<number> {
  const options = serveOptionsSchema.parse(raw);
  const service = await startService({
    env: readEnvironment(),
    ...(options.repo ? { repo: options.repo } : {}),
    ...(options.db ? { db: options.db } : {}),
    httpPort: options.http,
    wsPort: options.ws,
    host: options.host,
    logLevel: options.logLevel,
    ...(options.corsOrigin ? { corsOrigins: options.corsOrigin } : {}),
    ...(options.bodyLimit ? { bodyLimit: options.bodyLimit } : {}),
    ...(options.udp === undefined ? {} : { udp: options.udp === true ? {} : { port: options.udp } }),
  });
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      // A stuck child (git waiting on a lock) must not hold the process past its 5 s: exit 1 then, and
      // the crash journal lets the next start finish or undo the batch (docs/serve.md#lifecycle).
      setTimeout(() => {
        process.stderr.write('batchctl: serve did not stop within 4.5 s; exiting (the next start recovers)\n');
        process.exit(1);
      }, 4500).unref();
      void service.shutdown().then(resolve);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  return 0;
}
