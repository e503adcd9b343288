// batchctl rollback --reason with the built CLI: the reason is the revert commit's Rollback-Reason
// trailer and `batchctl status` shows it on the batch rolled back, also after `batchctl reindex`.
import { rmSync } from 'node:fs';
import { join } from 'node:path';

import { afterEach, describe, expect, it } from 'vitest';

import { gitRepo, removeRepo, type TestRepo } from '../helpers/git-repo.js';
import { jsonLines, runCli } from '../helpers/run-cli.js';

const repos: TestRepo[] = [];
afterEach(() => {
  for (const r of repos.splice(0)) removeRepo(r);
});

describe('batchctl rollback --reason', () => {
  it('records the reason in the revert commit and in the batch status', async () => {
    const repo = gitRepo({ 'k.txt': 'keep\n' });
    repos.push(repo);
    const ran = await runCli(['run', '-', '--json'], {
      cwd: repo.dir,
      input: JSON.stringify({ title: 'add a', operations: [{ type: 'write', target: 'a.txt', content: 'a\n' }] }),
    });
    expect(ran.code, ran.stderr).toBe(0);
    const id = jsonLines(ran.stdout).at(-1)?.batch_id as string;

    const rolled = await runCli(['rollback', id, '--reason', 'broke the build', '--by', 'oncall', '--json'], { cwd: repo.dir });
    expect(rolled.code, rolled.stderr).toBe(0);
    const revert = jsonLines(rolled.stdout).at(-1)?.rollback_batch_id as string;
    expect(repo.git('log', '-1', '--format=%(trailers:key=Rollback-Reason,valueonly)').trim()).toBe('broke the build');

    const status = await runCli(['status', id, '--json'], { cwd: repo.dir });
    expect(status.code, status.stderr).toBe(0);
    expect(jsonLines(status.stdout).at(-1)).toMatchObject({
      batch: { status: 'rolled_back' },
      rollbacks: [{ rollback_batch_id: revert, reason: 'broke the build', requested_by: 'oncall' }],
    });
    const human = await runCli(['status', id], { cwd: repo.dir });
    expect(human.stdout).toContain(`rollback ${revert} by oncall: broke the build`);

    // SQLite is an index of git: a rebuilt database has the rollback record back, from the trailers.
    rmSync(join(repo.dir, '.git', 'batchctl', 'state.db'), { force: true });
    for (const suffix of ['-wal', '-shm']) rmSync(join(repo.dir, '.git', 'batchctl', `state.db${suffix}`), { force: true });
    const reindexed = await runCli(['reindex'], { cwd: repo.dir });
    expect(reindexed.code, reindexed.stderr).toBe(0);
    const rebuilt = await runCli(['status', id, '--json'], { cwd: repo.dir });
    expect(jsonLines(rebuilt.stdout).at(-1)).toMatchObject({
      batch: { status: 'rolled_back' },
      rollbacks: [{ rollback_batch_id: revert, reason: 'broke the build', requested_by: 'oncall', paths: null }],
    });
  });

  it('still rolls back without --reason: the record says none was given, the commit has no Rollback-Reason', async () => {
    const repo = gitRepo({ 'k.txt': 'keep\n' });
    repos.push(repo);
    const ran = await runCli(['run', '-', '--json'], {
      cwd: repo.dir,
      input: JSON.stringify({ title: 'add b', operations: [{ type: 'write', target: 'b.txt', content: 'b\n' }] }),
    });
    const id = jsonLines(ran.stdout).at(-1)?.batch_id as string;
    const rolled = await runCli(['rollback', id], { cwd: repo.dir });
    expect(rolled.code, rolled.stderr).toBe(0);
    expect(repo.git('log', '-1', '--format=%(trailers:key=Rollback-Reason,valueonly)').trim()).toBe('');
    const status = await runCli(['status', id, '--json'], { cwd: repo.dir });
    expect(jsonLines(status.stdout).at(-1)).toMatchObject({ rollbacks: [{ reason: null }] });
  });
});
