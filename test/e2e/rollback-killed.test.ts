// A rollback killed once its commit landed (found by the SIGKILL sweep of serve, issue 17,
// docs/reliability.md#sigkill-sweep-of-serve): the batch it reverts must end `rolled_back`, as git says
// (its rollback/<id> tag and revert commit), never stay `completed`. Recovery finishes the rollback's
// run and marks the reverted batch with it.
import { afterEach, describe, expect, it } from 'vitest';

import { gitRepo, removeRepo, type TestRepo } from '../helpers/git-repo.js';
import { useGitHook } from '../helpers/git-hook-path.js';
import { jsonLines, runCli } from '../helpers/run-cli.js';

const repos: TestRepo[] = [];
afterEach(() => {
  for (const r of repos.splice(0)) removeRepo(r);
});
const hooked = useGitHook();

const status = async (dir: string, id: string): Promise<string> =>
  String((JSON.parse((await runCli(['status', id, '--json'], { cwd: dir })).stdout) as { batch: { status: string } }).batch.status);

describe('a rollback killed after its commit landed', () => {
  it('leaves the reverted batch rolled_back once recovered, with its rollback tag', async () => {
    const repo = gitRepo({ 'a.txt': 'v1\n' });
    repos.push(repo);
    const input = JSON.stringify({ title: 'lands', operations: [{ type: 'write', target: 'a.txt', content: 'v2\n' }] });
    const ran = await runCli(['run', '-', '--json'], { cwd: repo.dir, input });
    expect(ran.code).toBe(0);
    const id = String(jsonLines(ran.stdout).pop()?.batch_id);
    const head = repo.head();
    // Killed by its own git as soon as HEAD has moved: the refs are in, nothing after them ran.
    const PATH = hooked({
      subcommand: 'update-ref',
      before: `before=$("$REAL_GIT" rev-parse HEAD)`,
      after: `[ "$("$REAL_GIT" rev-parse HEAD)" = "$before" ] || kill -9 "$BATCHCTL_PID"`,
    });
    const killed = await runCli(['rollback', id, '--json'], { cwd: repo.dir, env: { PATH } });
    expect(killed.code).toBeNull(); // SIGKILL
    expect(repo.head()).not.toBe(head);
    expect(repo.git('tag', '--list', `rollback/${id}`).trim()).toBe(`rollback/${id}`);
    const recovered = await runCli(['recover', '--json'], { cwd: repo.dir });
    expect(recovered.code).toBe(0);
    expect(await status(repo.dir, id)).toBe('rolled_back');
    expect(repo.read('a.txt')).toBe('v1\n');
    expect(repo.git('status', '--porcelain', '--untracked-files=all')).toBe('');
    // and a second rollback says so, rather than reverting twice
    const again = await runCli(['rollback', id, '--json'], { cwd: repo.dir });
    expect(again.stdout + again.stderr).toContain('ALREADY_ROLLED_BACK');
  });
});
