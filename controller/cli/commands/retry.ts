// batchctl retry <id> [--again] — a new batch of the operations of an earlier one that did not land;
// asked again, it returns that first retry unless --again.
import { z } from 'zod';

import { openCommandEngine } from '../open-command-engine.js';
import { globalOptionsSchema } from '../global-options.js';
import { renderResult } from '../output/human.js';
import { printJsonLine } from '../output/ndjson.js';
import { reportOutcome } from '../output/report-outcome.js';

const retryOptionsSchema = globalOptionsSchema.extend({
  again: z.boolean().default(false),
  /** commander's --no-push sets push: false */
  push: z.boolean().default(true),
});

export async function retryCommand(id: string, raw: unknown): Promise<number> {
  const options = retryOptionsSchema.parse(raw);
  const engine = await openCommandEngine({ ...options, oneShot: true });
  try {
    const result = await engine.retry(id, { again: options.again, push: options.push });
    if (options.json) printJsonLine(result);
    else
      process.stdout.write(
        `${renderResult(result)}${result.idempotent_replay ? '\n  (retried before: this is that retry; --again runs a new one)' : ''}\n`,
      );
    return reportOutcome(result);
  } finally {
    await engine.close();
  }
}
