// batchctl recover — finish or undo a batch interrupted by a crash (every command also does this first).
import { openEngine } from '../../app/index.js';
import { EXIT } from '../../errors/index.js';
import { globalOptionsSchema } from '../global-options.js';
import { printJsonLine } from '../output/ndjson.js';

export async function recoverCommand(raw: unknown): Promise<number> {
  const options = globalOptionsSchema.parse(raw);
  const engine = await openEngine({ ...options });
  try {
    const report = await engine.recover();
    if (options.json) printJsonLine({ recovered: report });
    else if (!report) process.stdout.write('nothing to recover\n');
    else if (report.kind === 'control')
      process.stdout.write(`control-state commit${report.batch_id ? ` after batch ${report.batch_id}` : ''}: ${report.action}\n`);
    else process.stdout.write(`batch ${report.batch_id}: ${report.action} (${report.paths} paths)\n`);
    return EXIT.ok;
  } finally {
    await engine.close();
  }
}
