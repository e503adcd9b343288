// Issue 11, class 4: a git child that stops reading its input and exits 0 built its result from part
// of it. The runner fails such a call (stdin's EPIPE), and a blob's id is checked against its bytes.
import { afterEach, describe, expect, it } from 'vitest';

import { createRunner, openGit, type Git } from '../../../controller/git/index.js';
import { gitRepo, removeRepo, type TestRepo } from '../../helpers/git-repo.js';
import { inputCutTo, useGitFaults } from '../../helpers/git-wrapper.js';

const identity = { name: 'batchctl', email: 'batchctl@localhost' };
const faults = useGitFaults();
const repos: TestRepo[] = [];
const handles: Git[] = [];
afterEach(async () => {
  for (const git of handles.splice(0)) await git.close();
  for (const repo of repos.splice(0)) removeRepo(repo);
});
function repo(): TestRepo {
  const r = gitRepo({ 'a.txt': 'a' });
  repos.push(r);
  return r;
}

/** Far more than a pipe holds: git exits while most of it is still to be written. */
const BIG = Buffer.alloc(4 * 1024 * 1024, 'x');

describe('input cut short on its way to git', () => {
  it('a git that exits 0 before it read all its input is a failure (EPIPE), not an answer', async () => {
    const r = repo();
    faults([{ subcommand: 'hash-object', run: inputCutTo(10) }]);
    const runner = createRunner({ cwd: r.dir, identity });

    await expect(runner.exec(['hash-object', '--stdin'], { input: BIG })).rejects.toMatchObject({
      code: 'GIT_FAILED',
      data: { stderr: expect.stringContaining('EPIPE') },
    });
  });

  it('a blob stored from bytes cut short is GIT_WRITE_UNVERIFIED, whatever the size', async () => {
    const r = repo();
    const git = await openGit({ dir: r.dir, identity });
    handles.push(git);
    faults([{ subcommand: 'hash-object', run: inputCutTo(10) }]);

    await expect(git.hashBlob('a control file, longer than ten bytes\n')).rejects.toMatchObject({ code: 'GIT_WRITE_UNVERIFIED' });
  });

  it('a command given no input is not failed by its early exit', async () => {
    const r = repo();
    faults([{ subcommand: 'rev-parse', run: '"$GIT" "$@" < /dev/null' }]);
    const runner = createRunner({ cwd: r.dir, identity });
    expect(await runner.text(['rev-parse', 'HEAD'])).toBe(r.head());
  });

  it('an index entry git stores canonically (a 100664 tree mode as 100644) is not taken for a cut', async () => {
    const r = repo();
    const git = await openGit({ dir: r.dir, identity });
    handles.push(git);
    const oid = r.git('rev-parse', 'HEAD:a.txt').trim();
    await git.updateIndex([{ path: 'old-mode.txt', entry: { mode: '100664', oid } }]);
    expect(r.git('ls-files', '-s', '--', 'old-mode.txt')).toBe(`100644 ${oid} 0\told-mode.txt\n`);
  });
});
