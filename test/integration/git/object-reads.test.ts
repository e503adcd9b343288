// Single-object reads answer the same whether isomorphic-git reads them in-process (servers) or a
// spawned git does (one-shot CLI commands): HEAD, a commit, and a ref left unpeeled.
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { openGit } from '../../../controller/git/index.js';
import { GIT_ENV, gitRepo } from '../../helpers/git-repo.js';

const identity = { name: 'batchctl', email: 'batchctl@localhost' };

describe.each([true, false])('single-object reads (in-process: %s)', (inProcessReads) => {
  it('says an unborn HEAD is null, then follows it to the commit', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'batchctl-test-'));
    execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: dir, env: GIT_ENV });
    const git = await openGit({ dir, identity, inProcessReads });
    expect(await git.head()).toBeNull();
    execFileSync('git', ['commit', '-q', '--allow-empty', '-m', 'first'], { cwd: dir, env: GIT_ENV });
    expect(await git.head()).toBe(execFileSync('git', ['rev-parse', 'HEAD'], { cwd: dir, encoding: 'utf8' }).trim());
  });

  it('reads a commit: tree, parents and message', async () => {
    const repo = gitRepo({ 'a.txt': 'a\n' });
    const first = repo.commitAll('first');
    repo.write('b.txt', 'b\n');
    const second = repo.commitAll('second line one\n\nBatch-Id: b-1');
    const git = await openGit({ dir: repo.dir, identity, inProcessReads });
    const commit = await git.readCommit(second);
    expect(commit).toMatchObject({ oid: second, tree: repo.git('rev-parse', `${second}^{tree}`).trim(), parents: [first] });
    expect(commit.message).toBe('second line one\n\nBatch-Id: b-1\n');
    const root = repo.git('rev-list', '--max-parents=0', 'HEAD').trim();
    expect((await git.readCommit(root)).parents).toEqual([]);
  });

  it('gives an annotated tag its own id, not the commit, and null for a missing ref', async () => {
    const repo = gitRepo({ 'a.txt': 'a\n' });
    repo.commitAll('first');
    repo.git('tag', '-a', '-m', 'note', 'batch/b-1');
    const git = await openGit({ dir: repo.dir, identity, inProcessReads });
    expect(await git.readRef('refs/tags/batch/b-1')).toBe(repo.git('rev-parse', 'refs/tags/batch/b-1').trim());
    expect(await git.readRef('refs/tags/batch/b-1')).not.toBe(repo.head());
    expect(await git.readRef('refs/tags/batch/none')).toBeNull();
  });
});
