// Issue 11 class 13: a run whose own rollback fails (git cannot read the pre-batch blobs) says what
// it left: the work tree still modified, which paths, and that `batchctl recover` puts them back.
import { existsSync } from 'node:fs';
import { join } from 'node:path';

import { afterEach, describe, expect, it } from 'vitest';

import { gitRepo, removeRepo, undoControlState, type TestRepo } from '../helpers/git-repo.js';
import { useGitHook } from '../helpers/git-hook-path.js';
import { jsonLines, runCli } from '../helpers/run-cli.js';

const repos: TestRepo[] = [];
const hooked = useGitHook();
afterEach(() => {
  for (const r of repos.splice(0)) removeRepo(r);
});

describe('a run whose rollback cannot read git objects', () => {
  it('fails RESTORE_INCOMPLETE naming the paths left modified and `batchctl recover`, and recover restores them', async () => {
    const repo = gitRepo({ 'a.txt': 'old a\n' });
    repos.push(repo);
    const headBefore = repo.head();
    const before = repo.snapshot();
    // Once the batch has written sentinel.txt, every `git cat-file` fails (a disk that went bad): the
    // rollback cannot read the pre-batch blobs, neither in the run nor in its failure path.
    const PATH = hooked({
      subcommand: 'cat-file',
      before: 'if [ -e sentinel.txt ]; then touch "$GIT_DIR_OF/shim-fired"; echo "fatal: injected fault" >&2; exit 128; fi',
    });
    const input = JSON.stringify({
      title: 'rollback meets a git fault',
      options: { atomic: true },
      operations: [
        { type: 'write', target: 'sentinel.txt', content: 'new\n' },
        { type: 'write', target: 'a.txt', content: 'new a\n' },
        { type: 'replace', target: 'a.txt', find: 'absent', replace: 'x' }, // fails: the atomic batch rolls back
      ],
    });
    const out = await runCli(['run', '-', '--json'], { cwd: repo.dir, input, env: { PATH } });
    expect(existsSync(join(repo.dir, '.git', 'shim-fired'))).toBe(true);
    expect(out.code, out.stderr).toBe(1);
    const result = jsonLines(out.stdout).at(-1) as { batch_id: string };
    expect(result).toMatchObject({
      status: 'failed',
      reason: { code: 'RESTORE_INCOMPLETE', data: { paths: expect.arrayContaining(['a.txt', 'sentinel.txt']) } },
    });
    expect(out.stderr).toMatch(/RESTORE_INCOMPLETE.*a\.txt.*batchctl recover/s);
    expect(repo.read('a.txt')).toBe('new a\n');

    const recovered = await runCli(['recover', '--json'], { cwd: repo.dir });
    expect(recovered.code, recovered.stderr).toBe(0);
    expect(jsonLines(recovered.stdout).at(-1)).toMatchObject({ recovered: { action: 'restored' } });
    undoControlState(repo, headBefore);
    expect(repo.snapshot()).toBe(before);
    const status = await runCli(['status', result.batch_id, '--json'], { cwd: repo.dir });
    expect(jsonLines(status.stdout).at(-1)).toMatchObject({ batch: { status: 'failed', reason_code: 'RESTORE_INCOMPLETE' } });
  });
});
