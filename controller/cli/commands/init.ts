// batchctl init — write the default batch-control.json into a repository.
import { z } from 'zod';

import { openEngine } from '../../app/index.js';
import { EXIT } from '../../errors/index.js';
import { globalOptionsSchema } from '../global-options.js';
import { printJsonLine } from '../output/ndjson.js';

const initOptionsSchema = globalOptionsSchema.extend({ force: z.boolean().default(false) });

export async function initCommand(raw: unknown): Promise<number> {
  const options = initOptionsSchema.parse(raw);
  const engine = await openEngine({ ...options, oneShot: true });
  try {
    const result = await engine.init({ force: options.force });
    if (options.json) printJsonLine(result);
    else if (result.created) process.stdout.write(`wrote ${result.file}; commit it to put batchctl under operator control\n`);
    else process.stdout.write(`${result.file} exists and is valid; left as it is (--force rewrites it)\n`);
    return EXIT.ok;
  } finally {
    await engine.close();
  }
}
