// batchctl verify <id>|--all — drift: files a batch wrote that no longer have the recorded blob (docs/lifecycle.md#drift).
import { z } from 'zod';

import { readEnvironment } from '../../app/index.js';
import type { VerifyReport } from '../../domain/index.js';
import { ERROR_CODES, EXIT } from '../../errors/index.js';
import { openCommandEngine } from '../open-command-engine.js';
import { globalOptionsSchema } from '../global-options.js';
import { errorLine } from '../output/error-line.js';
import { printJsonLine } from '../output/ndjson.js';

const verifyOptionsSchema = globalOptionsSchema
  .extend({ id: z.string().min(1).optional(), all: z.boolean().default(false) })
  .superRefine((o, ctx) => {
    if ((o.id === undefined) === !o.all) ctx.addIssue({ code: 'custom', path: ['all'], message: 'give a batch id or --all (one of them)' });
  });

const short = (oid: string | null): string => (oid === null ? '(absent)' : oid.slice(0, 12));

function renderReport(report: VerifyReport): string {
  const lines = [
    `verified ${report.checked_files} files of ${report.checked_batches} batches at ${short(report.head)}: ${report.drift.length} drifted`,
  ];
  for (const id of report.completed_proposals ?? []) lines.push(`  completed ${id}: its proposed commit is on HEAD (pull request merged)`);
  for (const d of report.drift) {
    const by = d.changed_by ? `commit ${short(d.changed_by.commit)} "${d.changed_by.subject}" by ${d.changed_by.author}` : 'the work tree';
    lines.push(`  ${d.path}  (batch ${d.batch_id}) expected ${short(d.expected_blob)}, now ${short(d.actual_blob)}: changed by ${by}`);
  }
  return `${lines.join('\n')}\n`;
}

/** `::error file=…` per drifted path inside GitHub Actions (at most 50, as `run` does). */
function annotate(report: VerifyReport): void {
  for (const d of report.drift.slice(0, 50)) {
    const by = d.changed_by ? `commit ${d.changed_by.commit.slice(0, 12)}` : 'the work tree';
    process.stdout.write(`::error file=${d.path},title=DRIFT_FOUND::batch ${d.batch_id} wrote it; changed since by ${by}\n`);
  }
}

export async function verifyCommand(id: string | undefined, raw: unknown): Promise<number> {
  const options = verifyOptionsSchema.parse({ ...(raw as object), ...(id === undefined ? {} : { id }) });
  const env = readEnvironment();
  const engine = await openCommandEngine({ ...options, env });
  try {
    const report = await engine.verify(options.id === undefined ? {} : { batchId: options.id });
    if (options.json) printJsonLine(report);
    else process.stdout.write(renderReport(report));
    if (report.note) process.stderr.write(`batchctl: note: ${report.note}\n`);
    if (report.drift.length === 0) return EXIT.ok;
    // With --json the report is the last line (drift.yml feeds it to `github drift-issue`); the code goes to stderr.
    if (env.GITHUB_ACTIONS === 'true' && !options.json) annotate(report);
    process.stderr.write(
      errorLine({
        code: 'DRIFT_FOUND',
        message: `${report.drift.length} file(s) changed outside batchctl since their batch wrote them`,
        hint: 'roll the change back, or write it again as a batch so the record matches',
      }),
    );
    return ERROR_CODES.DRIFT_FOUND.exit;
  } finally {
    await engine.close();
  }
}
