// batchctl retry <id> — a new batch of the operations of an earlier one that did not land.
import { openEngine } from '../../app/index.js';
import { globalOptionsSchema } from '../global-options.js';
import { renderResult } from '../output/human.js';
import { printJsonLine } from '../output/ndjson.js';
import { reportOutcome } from '../output/report-outcome.js';

export async function retryCommand(id: string, raw: unknown): Promise<number> {
  const options = globalOptionsSchema.parse(raw);
  const engine = await openEngine({ ...options, oneShot: true });
  try {
    const result = await engine.retry(id);
    if (options.json) printJsonLine(result);
    else process.stdout.write(`${renderResult(result)}\n`);
    return reportOutcome(result);
  } finally {
    await engine.close();
  }
}
