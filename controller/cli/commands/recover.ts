// batchctl recover — finish or undo a batch interrupted by a crash (every command also does this first).
import { EXIT } from '../../errors/index.js';
import { openCommandEngine } from '../open-command-engine.js';
import { globalOptionsSchema } from '../global-options.js';
import { printJsonLine } from '../output/ndjson.js';

export async function recoverCommand(raw: unknown): Promise<number> {
  const options = globalOptionsSchema.parse(raw);
  const engine = await openCommandEngine({ ...options });
  try {
    const report = await engine.recover();
    if (options.json) printJsonLine({ recovered: report });
    else process.stdout.write(report ? `batch ${report.batch_id}: ${report.action} (${report.paths} paths)\n` : 'nothing to recover\n');
    return EXIT.ok;
  } finally {
    await engine.close();
  }
}
