// npm run bench: every benchmark, each printing its figure, its baseline from the same run, and the ratio.
/*
 * Usage:
 *   npm run bench              full sizes, the issues' targets (about 10 minutes on 2 idle cores)
 *   npm run bench -- --quick   smoke run at small sizes (the targets are printed but mean little)
 *   npm run bench -- --keep    leave the temporary repositories in place for inspection
 *   npm run bench -- --only S  run only the scenarios whose name contains S
 *   npm run bench -- --no-settle  do not wait for the disk to go quiet before each timed run
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';

import { commitBench } from './commit.js';
import { dashboardStatsBench } from './dashboard-stats.js';
import { findBench } from './find.js';
import { httpBench } from './http.js';
import { fmt, type Outcome, summaryTable } from './report.js';
import { mcpBench } from './mcp.js';
import { rollbackBench } from './rollback.js';
import { serviceBench } from './service.js';
import { udpBench } from './udp.js';
import { verifyBench } from './verify.js';

const quick = process.argv.includes('--quick');
const keep = process.argv.includes('--keep');
const onlyAt = process.argv.indexOf('--only');
const only = onlyAt > 0 ? process.argv[onlyAt + 1] : undefined;

async function main(): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'batchctl-bench-'));
  const gitVersion = execFileSync('git', ['--version'], { encoding: 'utf8' }).trim();
  console.log(
    `batchctl bench${quick ? ' (--quick)' : ''}: node ${process.version}, ${gitVersion}, ${cpus().length} CPUs (${cpus()[0]?.model ?? '?'})`,
  );
  console.log(`figures are medians of the repeats; temp dir ${root}`);
  // Timings on a shared 2-core machine are only meaningful when nothing else runs.
  const load = loadavg()[0] ?? 0;
  if (load > 0.5) console.log(`warning: 1-minute load average is ${load.toFixed(2)} before the bench; figures will be noisy`);
  const started = Date.now();
  const outcomes: Outcome[] = [];
  const report = (list: Outcome[]): void => {
    for (const outcome of list) {
      console.log(outcome.line);
      outcomes.push(outcome);
    }
  };
  const wants = (name: string): boolean => only === undefined || name.includes(only);
  try {
    report(await commitBench({ quick, root }, only));
    if (wants('rollback')) report(rollbackBench({ quick, root }));
    if (wants('find')) report(await findBench({ quick, root }));
    if (wants('verify')) report(verifyBench({ quick, root }));
    report(await serviceBench({ quick, root }, wants));
    report(await httpBench({ quick, root }, wants));
    report(await mcpBench({ quick, root }, wants));
    if (wants('udp')) report(udpBench({ quick }));
    if (wants('dashboard')) report(dashboardStatsBench({ quick, root }));
    console.log(`\n${summaryTable(outcomes)}\n`);
    const judged = outcomes.filter((o) => o.pass !== null);
    const met = judged.filter((o) => o.pass).length;
    console.log(
      `summary: ${met}/${judged.length} targets met; measured in ${fmt((Date.now() - started) / 1000)} s${met < judged.length ? ' (MISS is reported, not fatal)' : ''}`,
    );
  } finally {
    // Deleting ~1M small files takes a minute or more on this kind of disk; say so instead of hanging.
    const t = Date.now();
    if (keep) console.error(`kept ${root}`);
    else rmSync(root, { recursive: true, force: true });
    if (!keep) console.error(`removed ${root} in ${fmt((Date.now() - t) / 1000)} s`);
  }
}

await main();
