// batchctl list — the batch history, newest first.
import { z } from 'zod';

import { EXIT } from '../../errors/index.js';
import { openCommandEngine } from '../open-command-engine.js';
import { globalOptionsSchema } from '../global-options.js';
import { renderRows } from '../output/human.js';
import { printJsonLine } from '../output/ndjson.js';

const listOptionsSchema = globalOptionsSchema.extend({ limit: z.coerce.number().int().min(1).max(10_000).default(20) });

export async function listCommand(raw: unknown): Promise<number> {
  const options = listOptionsSchema.parse(raw);
  const engine = await openCommandEngine({ ...options });
  try {
    const rows = engine.list({ limit: options.limit });
    if (options.json) printJsonLine({ batches: rows });
    else process.stdout.write(`${renderRows(rows)}\n`);
    return EXIT.ok;
  } finally {
    await engine.close();
  }
}
