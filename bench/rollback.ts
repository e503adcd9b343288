// Rollback benchmark (issue 3): `batchctl rollback <id>` against plain `git revert --no-edit <commit>`
// for a batch that rewrote 10,000 files. Both start from identical copies of one repository whose
// HEAD is the batch commit; both must end on the pre-batch tree.
import { join } from 'node:path';

import { copyRepo, git, rewriteSet, seedRepo, settle, timeBatchctl, timeGit, writeBatchFile } from './fixtures.js';
import { alternate, type BenchOptions, fmt, median, type Outcome, ratioLine } from './report.js';

export function rollbackBench({ quick, root }: BenchOptions): Outcome[] {
  const name = quick ? 'rollback-1k' : 'rollback-10k';
  const files = quick ? 1_000 : 10_000;
  const repeats = 3;
  const dir = join(root, name);
  const seed = join(dir, 'seed');
  seedRepo(seed, files);
  const batchFile = join(dir, 'batch.ndjson');
  writeBatchFile(batchFile, rewriteSet(files, 1024));
  const applied = JSON.parse(timeBatchctl(['run', batchFile, '--repo', seed, '--json']).stdout.trimEnd().split('\n').pop() ?? '{}') as {
    batch_id?: string;
    commit?: string;
  };
  const { batch_id: id, commit } = applied;
  if (!id || !commit) throw new Error(`[${name}] the batch to roll back did not commit`);
  // The batch commit's parent is its control-state commit (budget charged): reverting the batch
  // restores every file and leaves that charge, on both sides.
  const preTree = git(seed, ['rev-parse', `${commit}^^{tree}`]);
  for (let k = 0; k < repeats; k++) {
    copyRepo(seed, join(dir, `baseline-${k}`));
    copyRepo(seed, join(dir, `batchctl-${k}`));
  }
  const ours: number[] = [];
  const base: number[] = [];
  for (let k = 0; k < repeats; k++) {
    const baseDir = join(dir, `baseline-${k}`);
    const ourDir = join(dir, `batchctl-${k}`);
    const measureBase = (): void => {
      settle(); // as timeBatchctl does: both sides start with nothing left to write back
      base.push(timeGit(baseDir, ['revert', '--no-edit', commit]).seconds);
    };
    const measureOurs = (): void => {
      const run = timeBatchctl(['rollback', id, '--repo', ourDir, '--json']);
      const result = JSON.parse(run.stdout) as { success?: boolean };
      if (!result.success) throw new Error(`[${name}] batchctl rollback failed: ${run.stdout.slice(0, 500)}`);
      ours.push(run.seconds);
    };
    alternate(k, measureBase, measureOurs);
    for (const d of [baseDir, ourDir]) {
      if (git(d, ['rev-parse', 'HEAD^{tree}']) !== preTree) throw new Error(`[${name}] ${d} did not end on the pre-batch tree`);
    }
    console.error(
      `[${name}] run ${k + 1}/${repeats}: batchctl ${fmt(ours[k] as number)} s, git revert ${fmt(base[k] as number)} s, both on the pre-batch tree`,
    );
  }
  const b = median(ours);
  const g = median(base);
  return [
    ratioLine(
      name,
      `${fmt(b)} s`,
      `${fmt(g)} s`,
      b / g,
      { atMost: 1.2 },
      `roll back a batch that rewrote ${files.toLocaleString('en-US')} files (CLI, spawn to exit) vs git revert --no-edit; median of ${repeats}`,
    ),
  ];
}
