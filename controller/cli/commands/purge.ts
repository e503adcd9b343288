// batchctl purge [--dry-run] — delete records, events and refs past the control file's retention windows.
import { z } from 'zod';

import type { PurgeReport } from '../../engine/index.js';
import { EXIT } from '../../errors/index.js';
import { openCommandEngine } from '../open-command-engine.js';
import { globalOptionsSchema } from '../global-options.js';
import { printJsonLine } from '../output/ndjson.js';

const purgeOptionsSchema = globalOptionsSchema.extend({ dryRun: z.boolean().default(false) });

/** Lists longer than this are cut on a terminal (--json has them all). */
const SHOWN = 20;

function listed(title: string, names: readonly string[]): string[] {
  if (names.length === 0) return [];
  const more = names.length > SHOWN ? [`    … and ${names.length - SHOWN} more`] : [];
  return [`  ${title}:`, ...names.slice(0, SHOWN).map((name) => `    ${name}`), ...more];
}

export function renderPurge(report: PurgeReport): string {
  const verb = report.dry_run ? 'would delete' : 'deleted';
  const window = (before: string | null): string => (before === null ? 'kept forever (0 days)' : `before ${before}`);
  return [
    `${verb}: ${report.batches} batches (${report.items} items), ${report.events} events, ` +
      `${report.backup_refs.length} backup refs, ${report.retry_refs.length} retry refs`,
    `  records and events: ${window(report.metrics_before)}; backups: ${window(report.backups_before)}`,
    ...listed('batches', report.batch_ids),
    ...listed('backup refs', report.backup_refs),
    ...listed('retry refs', report.retry_refs),
    ...listed(
      'kept although past the window',
      report.kept_refs.map((k) => `${k.ref} (${k.why})`),
    ),
  ].join('\n');
}

export async function purgeCommand(raw: unknown): Promise<number> {
  const options = purgeOptionsSchema.parse(raw);
  const engine = await openCommandEngine({ ...options });
  try {
    const report = await engine.purge({ dryRun: options.dryRun });
    if (options.json) printJsonLine(report);
    else process.stdout.write(`${renderPurge(report)}\n`);
    return EXIT.ok;
  } finally {
    await engine.close();
  }
}
