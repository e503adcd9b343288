// batchctl reindex — rebuild SQLite's records of committed batches from git history.
import { z } from 'zod';

import { EXIT } from '../../errors/index.js';
import { openCommandEngine } from '../open-command-engine.js';
import { globalOptionsSchema } from '../global-options.js';
import { printJsonLine } from '../output/ndjson.js';

const reindexOptionsSchema = globalOptionsSchema.extend({ fetch: z.boolean().default(false) });

export async function reindexCommand(raw: unknown): Promise<number> {
  const options = reindexOptionsSchema.parse(raw);
  const engine = await openCommandEngine({ ...options, repairStore: true });
  try {
    const report = await engine.reindex({ fetch: options.fetch });
    if (options.json) printJsonLine(report);
    else {
      process.stdout.write(
        `scanned ${report.commits_scanned} commits: ${report.batches_found} batches, ${report.inserted} rebuilt, ${report.already_present} already recorded\n` +
          `note: ${report.note}\n`,
      );
    }
    return EXIT.ok;
  } finally {
    await engine.close();
  }
}
