// batchctl github drift-issue --report FILE — the drift issue from `batchctl verify --json`'s report
// (docs/github-api.md#drift-issue): opened or updated while there is drift, closed when clean.
import { readFile } from 'node:fs/promises';

import { z } from 'zod';

import { readEnvironment, requireGitHub } from '../../app/index.js';
import { VerifyReportSchema, type VerifyReport } from '../../domain/index.js';
import { syncDriftIssue } from '../../engine/index.js';
import { BatchctlError, EXIT } from '../../errors/index.js';
import { createLogger } from '../../log/index.js';
import { globalOptionsSchema } from '../global-options.js';
import { printJsonLine } from '../output/ndjson.js';

const driftIssueOptionsSchema = globalOptionsSchema.extend({ report: z.string().min(1) });

/** The report as `verify --json` printed it: its last JSON line (events may precede it), checked by the one schema. */
async function readReport(file: string): Promise<VerifyReport> {
  const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new BatchctlError({
      code: 'USAGE',
      message: `report ${file}: ${error.code ?? error.message}`,
      hint: 'give the file `batchctl verify --all --json` wrote',
      data: { file },
    });
  });
  const lines = text.split('\n').filter((line) => line.trim() !== '');
  let value: unknown;
  try {
    value = JSON.parse(lines[lines.length - 1] ?? '');
  } catch {
    throw new BatchctlError({
      code: 'INPUT_INVALID',
      message: `report ${file}: not JSON`,
      hint: 'give the file `batchctl verify --all --json` wrote',
      data: { file },
    });
  }
  const parsed = VerifyReportSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  const first = parsed.error.issues[0];
  const field = first?.path.join('.') ?? '';
  throw new BatchctlError({
    code: 'INPUT_INVALID',
    message: `report ${file}: ${field || '(root)'}: ${first?.message ?? 'invalid'}`,
    hint: 'give the file `batchctl verify --all --json` wrote',
    data: { file, field },
  });
}

export async function driftIssueCommand(raw: unknown): Promise<number> {
  const options = driftIssueOptionsSchema.parse(raw);
  const env = readEnvironment();
  const report = await readReport(options.report);
  const port = requireGitHub(env, 'the drift issue', createLogger({ level: env.BATCHCTL_LOG_LEVEL }));
  const action = await syncDriftIssue(port, report);
  if (options.json) printJsonLine({ ...action, drift: report.drift.length, api_writes: port.writes() });
  else {
    const what =
      action.action === 'none'
        ? 'no drift, and no open drift issue'
        : `${action.action} drift issue #${action.number ?? ''} ${action.url ?? ''}`;
    process.stdout.write(`${what} (${report.drift.length} drifted file(s))\n`);
  }
  return EXIT.ok;
}
