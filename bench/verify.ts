// Verify benchmark (issue 15): `batchctl verify --all --json` over a batch that recorded 10,000
// files, against `git ls-tree -r HEAD` alone (the one listing any drift check must read) and `batchctl
// list` (the cost of any batchctl command), in the same run. Two cases: a clean tree (no log pass
// at all), and 100 files drifted by a plain commit plus 10 in the work tree (one log pass for the 100).
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

import { git, PROJECT, rewriteSet, seedRepo, settle, timeBatchctl, timeGit, writeBatchFile } from './fixtures.js';
import { alternate, type BenchOptions, fmtMs, median, type Outcome, ratioLine } from './report.js';

const CLI = join(PROJECT, 'bin', 'batchctl.js');

/** `batchctl verify --all --json`, spawn to exit; exit 6 (drift) is an answer here, not a failure. */
function timeVerify(dir: string, drifted: number): number {
  settle();
  const start = performance.now();
  const r = spawnSync(process.execPath, [CLI, 'verify', '--all', '--json', '--repo', dir], { encoding: 'utf8', maxBuffer: 1 << 30 });
  const seconds = (performance.now() - start) / 1000;
  const report = JSON.parse(r.stdout.trimEnd().split('\n').pop() ?? '{}') as { drift?: unknown[]; checked_files?: number };
  if (r.status !== (drifted === 0 ? 0 : 6) || report.drift?.length !== drifted) {
    throw new Error(`[verify] exited ${r.status} with ${report.drift?.length} drifted, expected ${drifted}: ${r.stderr.slice(0, 1000)}`);
  }
  return seconds;
}

export function verifyBench({ quick, root }: BenchOptions): Outcome[] {
  const files = quick ? 1_000 : 10_000;
  const repeats = quick ? 3 : 5;
  const name = `verify-${quick ? '1k' : '10k'}`;
  const dir = join(root, name, 'repo');
  seedRepo(dir, files);
  const batchFile = join(root, name, 'batch.ndjson');
  writeBatchFile(batchFile, rewriteSet(files, 256));
  timeBatchctl(['run', batchFile, '--repo', dir, '--json']);
  const outcomes: Outcome[] = [];
  const measure = (label: string, drifted: number): void => {
    const ours: number[] = [];
    const base: number[] = [];
    const floor: number[] = [];
    for (let k = 0; k < repeats; k++) {
      alternate(
        k,
        () => base.push(timeGit(dir, ['ls-tree', '-r', 'HEAD']).seconds),
        () => ours.push(timeVerify(dir, drifted)),
      );
      floor.push(timeBatchctl(['list', '--json', '--repo', dir]).seconds);
    }
    const o = median(ours);
    const b = median(base);
    const f = median(floor);
    const what = `verify --all over ${files.toLocaleString('en-US')} recorded files (CLI, spawn to exit, ${drifted} drifted)`;
    outcomes.push(
      ratioLine(`${name}-${label}`, fmtMs(o), fmtMs(b), o / b, null, `${what} vs git ls-tree -r HEAD alone; median of ${repeats}`),
    );
    // What any batchctl command costs (node start, engine open): what verify adds is the difference.
    outcomes.push(
      ratioLine(`${name}-${label}-vs-list`, fmtMs(o), fmtMs(f), o / f, null, `${what} vs batchctl list --json; median of ${repeats}`),
    );
  };
  measure('clean', 0);
  // 100 drifted by one plain commit, 10 more only in the work tree.
  const rewritten = rewriteSet(files, 256);
  for (const change of rewritten.slice(0, 100)) writeFileSync(join(dir, change.path), 'edited by hand\n');
  git(dir, ['commit', '-qam', 'hand edits']);
  for (const change of rewritten.slice(100, 110)) writeFileSync(join(dir, change.path), 'not committed\n');
  measure('drift', 110);
  return outcomes;
}
