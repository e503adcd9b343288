// batchctl validate <file|-> — judge a batch, change nothing.
import { EXIT } from '../../errors/index.js';
import { openBatchFile } from '../batch-file.js';
import { openCommandEngine } from '../open-command-engine.js';
import { globalOptionsSchema } from '../global-options.js';
import { renderValidation } from '../output/human.js';
import { printJsonLine } from '../output/ndjson.js';

export async function validateCommand(file: string, raw: unknown): Promise<number> {
  const options = globalOptionsSchema.parse(raw);
  const engine = await openCommandEngine({ ...options });
  try {
    const result = await engine.validate(await openBatchFile(file));
    if (options.json) printJsonLine(result);
    else process.stdout.write(`${renderValidation(result)}\n`);
    return result.valid ? EXIT.ok : EXIT.usage;
  } finally {
    await engine.close();
  }
}
