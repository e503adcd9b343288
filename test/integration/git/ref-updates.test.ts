// Ref updates are one compare-and-swap transaction, and a failure says what it was: only a ref that
// is no longer at its expected old value is HEAD_MOVED; a held lock, a missing object or a refusing
// disk is reported as itself, with git's stderr, and no ref moves.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { afterEach, describe, expect, it } from 'vitest';

import { openGit, type Git } from '../../../controller/git/index.js';
import { gitRepo, removeRepo, type TestRepo } from '../../helpers/git-repo.js';

const identity = { name: 'batchctl', email: 'batchctl@localhost' };
const repos: TestRepo[] = [];
const handles: Git[] = [];
afterEach(async () => {
  for (const git of handles.splice(0)) await git.close();
  for (const repo of repos.splice(0)) removeRepo(repo);
});
async function setup(options: Parameters<typeof gitRepo>[1] = {}): Promise<{ repo: TestRepo; git: Git; head: string; next: string }> {
  const repo = gitRepo({ 'a.txt': 'a\n' }, options);
  repos.push(repo);
  const head = repo.head();
  repo.write('a.txt', 'b\n');
  const next = repo.commitAll('next');
  repo.git('update-ref', 'HEAD', head); // `next` exists, HEAD is back at `head`
  repo.git('reset', '-q', '--hard');
  const git = await openGit({ dir: repo.dir, identity });
  handles.push(git);
  return { repo, git, head, next };
}
const refs = (repo: TestRepo): string => repo.git('for-each-ref', '--format=%(refname) %(objectname)') + repo.git('rev-parse', 'HEAD');

describe('ref updates', () => {
  it('moves HEAD and creates a tag together', async () => {
    const { repo, git, head, next } = await setup();
    await git.updateRefs(
      [
        { kind: 'update', ref: 'HEAD', newOid: next, oldOid: head },
        { kind: 'create', ref: 'refs/tags/t', newOid: next },
      ],
      'test',
    );
    expect(repo.head()).toBe(next);
    expect(repo.git('rev-parse', 'refs/tags/t').trim()).toBe(next);
  });

  it('is HEAD_MOVED when a ref is not where the caller expected, naming it', async () => {
    const { repo, git, head, next } = await setup();
    const before = refs(repo);
    await expect(git.updateRefs([{ kind: 'update', ref: 'HEAD', newOid: head, oldOid: next }], 'test')).rejects.toMatchObject({
      code: 'HEAD_MOVED',
      data: { moved: [{ ref: 'HEAD', expected: next, actual: head }], stderr: expect.stringContaining('HEAD') },
    });
    expect(refs(repo)).toBe(before);
    repo.git('tag', 'taken', head);
    const tagged = refs(repo);
    await expect(
      git.updateRefs(
        [
          { kind: 'update', ref: 'HEAD', newOid: next, oldOid: head },
          { kind: 'create', ref: 'refs/tags/taken', newOid: next },
        ],
        'test',
      ),
    ).rejects.toMatchObject({ code: 'HEAD_MOVED', data: { moved: [{ ref: 'refs/tags/taken', expected: null, actual: head }] } });
    expect(refs(repo)).toBe(tagged);
    expect(repo.head()).toBe(head);
  });

  it.each([
    ['refs/heads/main.lock', false],
    ['HEAD.lock', false],
    ['refs/heads/work.lock', true],
    ['HEAD.lock', true],
  ] as const)(
    'is REF_LOCKED, not HEAD_MOVED, while another process holds %s (linked worktree: %s), and moves nothing',
    async (lock, linkedWorktree) => {
      const { repo, git, head, next } = await setup({ linkedWorktree });
      // HEAD.lock is the worktree's own; a branch's lock is in the common directory
      const dir = repo.git('rev-parse', '--path-format=absolute', lock === 'HEAD.lock' ? '--git-dir' : '--git-common-dir').trim();
      writeFileSync(join(dir, lock), '');
      const before = refs(repo);
      const failure = git.updateRefs(
        [
          { kind: 'update', ref: 'HEAD', newOid: next, oldOid: head },
          { kind: 'create', ref: 'refs/tags/t', newOid: next },
        ],
        'test',
      );
      await expect(failure).rejects.toMatchObject({
        code: 'REF_LOCKED',
        data: { lock: expect.stringMatching(new RegExp(`${lock.replace('.', '\\.')}$`)), stderr: expect.stringContaining('File exists') },
      });
      expect(refs(repo)).toBe(before);
    },
  );

  it('is GIT_FAILED with git stderr when the new object does not exist', async () => {
    const { repo, git, head } = await setup();
    const before = refs(repo);
    await expect(git.updateRefs([{ kind: 'update', ref: 'HEAD', newOid: '1'.repeat(40), oldOid: head }], 'test')).rejects.toMatchObject({
      code: 'GIT_FAILED',
      data: { stderr: expect.stringContaining('nonexistent object') },
    });
    expect(refs(repo)).toBe(before);
  });

  it('starts an unborn branch in a SHA-256 repository (the null id has 64 digits there)', async () => {
    const { repo, git, next } = await setup({ objectFormat: 'sha256' });
    repo.git('symbolic-ref', 'HEAD', 'refs/heads/fresh');
    await git.updateRefs([{ kind: 'update', ref: 'HEAD', newOid: next, oldOid: null }], 'test');
    expect(repo.git('rev-parse', 'refs/heads/fresh').trim()).toBe(next);
    expect(next).toHaveLength(64);
  });
});
