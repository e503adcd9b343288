// batchctl recover — finish or undo a batch interrupted by a crash (every command also does this first),
// then record the breaker failures earlier runs kept pending (docs/control-file.md#a-failure-not-yet-recorded).
import { z } from 'zod';

import type { PendingFailuresReport } from '../../engine/index.js';
import { EXIT } from '../../errors/index.js';
import { openCommandEngine } from '../open-command-engine.js';
import { globalOptionsSchema } from '../global-options.js';
import { printJsonLine } from '../output/ndjson.js';

const recoverOptionsSchema = globalOptionsSchema.extend({
  /** commander's --no-push sets push: false */
  push: z.boolean().default(true),
});

function failureLines(failures: PendingFailuresReport): string {
  const lines = [
    ...(failures.recorded.length > 0
      ? [`recorded the failure of ${failures.recorded.join(', ')} in batch-control.json (kept pending until now)`]
      : []),
    ...(failures.pending.length > 0
      ? [`still pending: the failure of ${failures.pending.join(', ')} (${failures.why ?? 'see the log'})`]
      : []),
  ];
  return lines.map((line) => `${line}\n`).join('');
}

export async function recoverCommand(raw: unknown): Promise<number> {
  const options = recoverOptionsSchema.parse(raw);
  const engine = await openCommandEngine({ ...options });
  try {
    const report = await engine.recover();
    const failures = await engine.recordPendingFailures({ push: options.push });
    if (options.json) printJsonLine({ recovered: report, pending_failures: failures });
    else {
      if (!report) process.stdout.write('nothing to recover\n');
      else if (report.kind === 'control')
        process.stdout.write(`control-state commit${report.batch_id ? ` after batch ${report.batch_id}` : ''}: ${report.action}\n`);
      else process.stdout.write(`batch ${report.batch_id}: ${report.action} (${report.paths} paths)\n`);
      process.stdout.write(failureLines(failures));
    }
    return EXIT.ok;
  } finally {
    await engine.close();
  }
}
