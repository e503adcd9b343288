// batchctl status [id] — one batch in detail, or the latest ones.
import { z } from 'zod';

import { EXIT } from '../../errors/index.js';
import { openCommandEngine } from '../open-command-engine.js';
import { commitNeedsLegacy, globalOptionsSchema } from '../global-options.js';
import { renderResult, renderRows } from '../output/human.js';
import { printJsonLine } from '../output/ndjson.js';

const statusOptionsSchema = globalOptionsSchema
  .extend({
    limit: z.coerce.number().int().min(1).max(10_000).default(10),
    legacy: z.boolean().default(false),
    commit: z.string().min(1).optional(),
  })
  .superRefine(commitNeedsLegacy);

export async function statusCommand(id: string | undefined, raw: unknown): Promise<number> {
  const options = statusOptionsSchema.parse(raw);
  const engine = await openCommandEngine({ ...options });
  try {
    if (id === undefined) {
      const rows = engine.list({ limit: options.limit });
      if (options.json) printJsonLine({ history: rows });
      else process.stdout.write(`${renderRows(rows)}\n`);
      return EXIT.ok;
    }
    if (options.legacy) {
      const found = await engine.legacy({ id, commit: options.commit });
      if (options.json) printJsonLine({ legacy: { batch_id: id, ...found } });
      else process.stdout.write(`legacy batch ${id}\n  commit ${found.commit}\n  date ${found.date}\n  ${found.subject}\n`);
      return EXIT.ok;
    }
    const details = engine.status(id, { itemLimit: options.limit });
    if (options.json) {
      printJsonLine(details);
    } else {
      const b = details.batch;
      // The rollbacks asked of it, with the reason each caller gave (or what this revert batch reverted).
      const rollbacks = details.rollbacks.map(
        (r) => `  rollback ${r.rollback_batch_id} by ${r.requested_by}: ${r.reason ?? '(no reason given)'}\n`,
      );
      const of = details.rollback_of;
      const reverts = of ? `  reverts ${of.batch_id}, by ${of.requested_by}: ${of.reason ?? '(no reason given)'}\n` : '';
      process.stdout.write(
        `${renderResult(details.result)}\n  title: ${b.title}\n  ecosystem: ${b.ecosystem}, requested by ${b.requested_by}\n  created ${b.created_at}, finished ${b.completed_at ?? '-'}\n  items: ${details.items_total}\n${rollbacks.join('')}${reverts}`,
      );
    }
    return EXIT.ok;
  } finally {
    await engine.close();
  }
}
