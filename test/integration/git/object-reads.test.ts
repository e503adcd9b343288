// Single-object reads (HEAD, a commit, a ref left unpeeled) through the one `git cat-file --batch`
// reader, in every repository layout: SHA-1 and SHA-256, a plain `.git` and a linked worktree
// (whose HEAD is its own while its objects and refs are the main repository's).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, describe, expect, it } from 'vitest';

import { openGit, type Git } from '../../../controller/git/index.js';
import { GIT_ENV, gitChildren, gitRepo, removeRepo, type TestRepo } from '../../helpers/git-repo.js';

const identity = { name: 'batchctl', email: 'batchctl@localhost' };
const LAYOUTS = (['sha1', 'sha256'] as const).flatMap((objectFormat) =>
  [false, true].map((linkedWorktree) => ({ objectFormat, linkedWorktree })),
);

const repos: TestRepo[] = [];
const handles: Git[] = [];
afterEach(async () => {
  for (const git of handles.splice(0)) await git.close();
  for (const repo of repos.splice(0)) removeRepo(repo);
});
async function setup(files: Record<string, string>, layout: (typeof LAYOUTS)[number]): Promise<{ repo: TestRepo; git: Git }> {
  const repo = gitRepo(files, layout);
  repos.push(repo);
  const git = await openGit({ dir: repo.dir, identity });
  handles.push(git);
  return { repo, git };
}

describe.each(LAYOUTS)('single-object reads ($objectFormat, linked worktree: $linkedWorktree)', (layout) => {
  it('says an unborn HEAD is null, then follows it to the commit', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'batchctl-test-'));
    try {
      execFileSync('git', ['init', '-q', '-b', 'main', `--object-format=${layout.objectFormat}`], { cwd: dir, env: GIT_ENV });
      let cwd = dir;
      if (layout.linkedWorktree) {
        execFileSync('git', ['commit', '-q', '--allow-empty', '-m', 'first'], { cwd: dir, env: GIT_ENV });
        cwd = join(dir, 'linked');
        execFileSync('git', ['worktree', 'add', '-q', '-b', 'other', cwd], { cwd: dir, env: GIT_ENV });
        // an unborn branch of its own: the main worktree's HEAD has a commit, this one has none
        execFileSync('git', ['symbolic-ref', 'HEAD', 'refs/heads/fresh'], { cwd, env: GIT_ENV });
      }
      const git = await openGit({ dir: cwd, identity });
      handles.push(git);
      expect(await git.head()).toBeNull();
      execFileSync('git', ['commit', '-q', '--allow-empty', '-m', 'second'], { cwd, env: GIT_ENV });
      expect(await git.head()).toBe(execFileSync('git', ['rev-parse', 'HEAD'], { cwd, encoding: 'utf8' }).trim());
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reads a commit: tree, parents and message', async () => {
    const { repo, git } = await setup({ 'a.txt': 'a\n' }, layout);
    const first = repo.commitAll('first');
    repo.write('b.txt', 'b\n');
    const second = repo.commitAll('second line one\n\nBatch-Id: b-1');
    const commit = await git.readCommit(second);
    expect(commit).toMatchObject({ oid: second, tree: repo.git('rev-parse', `${second}^{tree}`).trim(), parents: [first] });
    expect(commit.message).toBe('second line one\n\nBatch-Id: b-1\n');
    const root = repo.git('rev-list', '--max-parents=0', 'HEAD').trim();
    expect((await git.readCommit(root)).parents).toEqual([]);
    expect(await git.head()).toBe(second);
  });

  it('gives an annotated tag its own id, not the commit, and null for a missing ref', async () => {
    const { repo, git } = await setup({ 'a.txt': 'a\n' }, layout);
    repo.git('tag', '-a', '-m', 'note', 'batch/b-1');
    expect(await git.readRef('refs/tags/batch/b-1')).toBe(repo.git('rev-parse', 'refs/tags/batch/b-1').trim());
    expect(await git.readRef('refs/tags/batch/b-1')).not.toBe(repo.head());
    expect(await git.readRef('refs/tags/batch/none')).toBeNull();
  });

  it('sees refs, packed refs and packs written by other processes after it started', async () => {
    const { repo, git } = await setup({ 'a.txt': 'a\n' }, layout);
    expect(await git.head()).toBe(repo.head());
    repo.write('b.txt', 'b\n');
    const next = repo.commitAll('next');
    repo.git('tag', '-a', '-m', 'note', 'batch/b-2');
    repo.git('gc', '-q'); // loose objects into a new pack, refs into packed-refs
    expect(await git.head()).toBe(next);
    expect((await git.readCommit(next)).message).toBe('next\n');
    expect(await git.readRef('refs/tags/batch/b-2')).toBe(repo.git('rev-parse', 'refs/tags/batch/b-2').trim());
  });
});

describe('the cat-file reader', () => {
  const layout = LAYOUTS[0] as (typeof LAYOUTS)[number];

  it('answers a missing object with a clear error and stays in step for the reads after it', async () => {
    const { repo, git } = await setup({ 'a.txt': 'a\n' }, layout);
    const head = repo.head();
    const tree = repo.git('rev-parse', 'HEAD^{tree}').trim();
    const asked = [git.readCommit('0'.repeat(40)), git.readRef('refs/tags/none'), git.readCommit(tree), git.readCommit(head)];
    const [missing, absent, notCommit, found] = await Promise.allSettled(asked);
    expect(missing).toMatchObject({ status: 'rejected', reason: { code: 'GIT_FAILED', data: { oid: '0'.repeat(40), type: null } } });
    expect(absent).toEqual({ status: 'fulfilled', value: null });
    expect(notCommit).toMatchObject({ status: 'rejected', reason: { code: 'GIT_FAILED', data: { type: 'tree' } } });
    expect(found).toMatchObject({ status: 'fulfilled', value: { oid: head, message: 'initial\n' } });
    expect(await git.head()).toBe(head);
  });

  it('refuses a name git would read as something else, without sending it', async () => {
    const { repo, git } = await setup({ 'a.txt': 'a\n' }, layout);
    await expect(git.readRef('HEAD\nrefs/tags/x')).rejects.toThrow(/not an object name/);
    await expect(git.readRef('')).rejects.toThrow(/not an object name/);
    expect(await git.head()).toBe(repo.head());
  });

  it('starts git again for the next read when its process was killed', async () => {
    const { repo, git } = await setup({ 'a.txt': 'a\n' }, layout);
    expect(await git.head()).toBe(repo.head());
    const [pid] = gitChildren('cat-file');
    process.kill(pid as number, 'SIGKILL');
    // a read that reached the dying process fails with git's exit; one after it starts a new one
    await git.head().catch((error: unknown) => expect(error).toMatchObject({ code: 'GIT_FAILED' }));
    expect(await git.head()).toBe(repo.head());
    expect(gitChildren('cat-file')).not.toContain(pid);
  });

  it('keeps the event loop alive only while an answer is awaited, and leaves no process once closed', async () => {
    const { git } = await setup({ 'a.txt': 'a\n' }, layout);
    const processes = (): number => process.getActiveResourcesInfo().filter((r) => r === 'ProcessWrap').length;
    await git.head(); // started, and idle again (a git just exited may still be counted until then)
    const idle = processes();
    const reading = git.head();
    expect(processes()).toBe(idle + 1);
    await reading;
    expect(processes()).toBe(idle); // an engine left open never stops Node from exiting
    expect(gitChildren('cat-file')).toHaveLength(1);
    await git.close();
    expect(gitChildren('cat-file')).toEqual([]);
    await expect(git.head()).rejects.toThrow(/closed/);
  });
});
