// Issue 11, class 6: batchctl's update-ref child killed holding its lock files (HEAD.lock, the
// branch's, the tag's), and batchctl itself killed with it. `batchctl recover` removes the locks the
// journal named before the call, restores the pre-batch state, and the next batch and the user's own
// `git commit` work (before, every later batch failed HEAD_MOVED until the locks were removed by hand).
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

import { afterEach, describe, expect, it } from 'vitest';

import { gitRepo, removeRepo, type TestRepo } from '../helpers/git-repo.js';
import { gitWrapper, removeGitWrapper, straceInject, type GitWrapper } from '../helpers/git-wrapper.js';
import { jsonLines, runCli } from '../helpers/run-cli.js';

const repos: TestRepo[] = [];
const wrappers: GitWrapper[] = [];
afterEach(() => {
  for (const r of repos.splice(0)) removeRepo(r);
  for (const w of wrappers.splice(0)) removeGitWrapper(w);
});

const BATCH = JSON.stringify({
  title: 'Bump',
  ecosystem: 'npm',
  requested_by: 'ci',
  operations: [{ type: 'write', target: 'a.txt', content: 'v2' }],
});

const locks = (dir: string): string[] =>
  (readdirSync(join(dir, '.git'), { recursive: true }) as string[]).filter((name) => name.endsWith('.lock')).sort();

describe('a git child killed in the middle of update-ref, batchctl killed with it', () => {
  it('recover removes the lock files the run recorded and restores the pre-batch state', async () => {
    const repo = gitRepo({ 'a.txt': 'v1' });
    repos.push(repo);
    const before = repo.snapshot();
    // git dies at its first rename (every lock taken, none committed); then the wrapper kills batchctl.
    const wrapper = gitWrapper([
      {
        subcommand: 'update-ref',
        run: `${straceInject('rename:signal=KILL:when=1').replace(/^exec /, '')}\nkill -KILL "$PPID"\nexit 137`,
        times: 1,
      },
    ]);
    wrappers.push(wrapper);

    const run = await runCli(['run', '-', '--json'], { cwd: repo.dir, input: BATCH, env: { PATH: wrapper.path } });
    expect(run.code).toBeNull(); // killed
    expect(wrapper.faulted('update-ref')).toBe(1);
    expect(locks(repo.dir)).toEqual(expect.arrayContaining(['HEAD.lock', 'refs/heads/main.lock']));

    const recovered = await runCli(['recover', '--json'], { cwd: repo.dir });
    expect(recovered.code, recovered.stderr).toBe(0);
    expect(jsonLines(recovered.stdout).at(-1)).toMatchObject({ recovered: { action: 'restored' } });
    expect(locks(repo.dir)).toEqual([]);
    expect(repo.snapshot()).toBe(before);

    const next = await runCli(['run', '-', '--json'], { cwd: repo.dir, input: BATCH });
    expect(next.code, next.stderr).toBe(0);
    expect(repo.read('a.txt')).toBe('v2');
    repo.write('user.txt', 'mine');
    repo.commitAll("the user's own commit");
    repo.git('fsck', '--strict', '--no-progress', '--no-dangling');
  });
});
