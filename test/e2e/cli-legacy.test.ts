// The built CLI with legacy batch ids: a repeated `batch_id:` id is listed (commit, date, subject) and
// refused with exit 2 until --commit chooses one; rollback --legacy --commit reverts that commit.
import { afterEach, describe, expect, it } from 'vitest';

import { gitRepo, removeRepo, type TestRepo } from '../helpers/git-repo.js';
import { jsonLines, runCli } from '../helpers/run-cli.js';

const repos: TestRepo[] = [];
afterEach(() => {
  for (const r of repos.splice(0)) removeRepo(r);
});

function sideBatch(repo: TestRepo, branch: string, file: string): string {
  repo.git('checkout', '-q', '-b', branch, 'main');
  repo.write(file, 'changed\n');
  const commit = repo.commitAll(`registry batch ${branch}\n\nbatch_id: 2025-03-14`);
  repo.git('checkout', '-q', 'main');
  repo.git('merge', '--squash', '-q', branch);
  repo.git('commit', '-q', '-m', `Squashed ${branch}`);
  return commit;
}

describe('batchctl status and rollback --legacy', () => {
  it('lists the commits of a repeated legacy id, exits 2, and acts on the one --commit names', async () => {
    const repo = gitRepo({ 'a.txt': 'a\n', 'b.txt': 'b\n' });
    repos.push(repo);
    const first = sideBatch(repo, 'batch/2025-03-14', 'a.txt');
    const second = sideBatch(repo, 'batch/2025-03-14-b', 'b.txt');

    const status = await runCli(['status', '2025-03-14', '--legacy'], { cwd: repo.dir });
    expect(status.code).toBe(2);
    expect(status.stderr).toContain('BATCH_AMBIGUOUS');
    for (const commit of [first, second]) expect(status.stderr).toContain(commit.slice(0, 12));

    const rollback = await runCli(['rollback', '2025-03-14', '--legacy'], { cwd: repo.dir });
    expect(rollback.code).toBe(2);
    expect(rollback.stderr).toContain('BATCH_AMBIGUOUS');

    const stray = await runCli(['status', 'b-20261122-101500-7k3m9q', '--commit', second], { cwd: repo.dir });
    expect(stray.code).toBe(2); // --commit without --legacy is a usage error, not ignored
    expect(stray.stderr).toContain('USAGE: option --commit: goes with --legacy');

    const chosen = await runCli(['status', '2025-03-14', '--legacy', '--commit', second.slice(0, 10), '--json'], { cwd: repo.dir });
    expect(chosen.code).toBe(0);
    expect(jsonLines(chosen.stdout)[0]).toMatchObject({ legacy: { batch_id: '2025-03-14', commit: second } });

    const reverted = await runCli(['rollback', '2025-03-14', '--legacy', '--commit', second], { cwd: repo.dir });
    expect(reverted.code).toBe(0);
    expect(repo.read('b.txt')).toBe('b\n');
    expect(repo.read('a.txt')).toBe('changed\n');
  });
});
