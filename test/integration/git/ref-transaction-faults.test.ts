// Issue 11, classes 5 and 6: git's files backend renames a transaction's locks into place one at a
// time (the branch last). A failure partway leaves the batch's tag and backup on a commit on no
// branch; a git killed partway leaves its lock files. Both end in the pre-batch state, said as
// what happened, and the next batch and the user's own `git commit` work.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { readJournal } from '../../../controller/journal/index.js';
import { batch, useEngineRepos } from '../../helpers/engine.js';
import { straceInject, useGitFaults } from '../../helpers/git-wrapper.js';
import type { TestRepo } from '../../helpers/git-repo.js';

const setup = useEngineRepos();
const faults = useGitFaults();

const FILES = { 'a.txt': 'v1', 'keep.txt': 'keep' };
const OPS = batch({ operations: [{ type: 'write', target: 'a.txt', content: 'v2' }] });

/** Every *.lock under the git directory. */
function locks(repo: TestRepo): string[] {
  const gitDir = join(repo.dir, '.git');
  return (readdirSync(gitDir, { recursive: true }) as string[]).filter((name) => name.endsWith('.lock'));
}

async function nextBatchWorks(repo: TestRepo, engine: Awaited<ReturnType<typeof setup>>['engine']): Promise<void> {
  const next = await engine.run(batch({ operations: [{ type: 'write', target: 'keep.txt', content: 'k2' }] }));
  expect(next.status).toBe('completed');
  expect(repo.git('status', '--porcelain')).toBe('');
  repo.write('user.txt', 'mine');
  repo.commitAll("the user's own commit"); // fails on a left HEAD.lock or branch lock
  repo.git('fsck', '--strict', '--no-progress', '--no-dangling');
}

describe('a ref transaction that fails partway', () => {
  it('tag moved, backup and branch not: the tag is taken back and the error is REF_UPDATE_FAILED, not HEAD_MOVED', async () => {
    const { repo, engine } = await setup(FILES);
    const before = repo.snapshot();
    // renames: refs/tags/batch/<id>, then the backup ref (fails), then the branch (never reached)
    const wrapper = faults([{ subcommand: 'update-ref', run: straceInject('rename:error=EIO:when=2'), times: 1 }]);

    const result = await engine.run(OPS);

    expect(wrapper.faulted('update-ref')).toBe(1);
    expect(result).toMatchObject({
      status: 'failed',
      commit: null,
      reason: {
        code: 'REF_UPDATE_FAILED',
        data: { moved: [`refs/tags/batch/${result.batch_id}`], left: [], stderr: expect.stringContaining("couldn't set") },
      },
    });
    expect(repo.git('tag', '--list', `batch/${result.batch_id}`)).toBe('');
    expect(repo.snapshot()).toBe(before);
    expect(locks(repo)).toEqual([]);
    await nextBatchWorks(repo, engine);
  });

  it('nothing moved (the first rename fails): not HEAD_MOVED either, and nothing is left', async () => {
    const { repo, engine } = await setup(FILES);
    const before = repo.snapshot();
    faults([{ subcommand: 'update-ref', run: straceInject('rename:error=EIO:when=1'), times: 1 }]);

    const result = await engine.run(OPS);

    expect(result).toMatchObject({ status: 'failed', reason: { code: 'REF_UPDATE_FAILED', data: { moved: [] } } });
    expect(repo.snapshot()).toBe(before);
    await nextBatchWorks(repo, engine);
  });
});

describe('a ref the batch creates that exists already', () => {
  it('is REF_UPDATE_FAILED naming it, not HEAD_MOVED: HEAD did not move', async () => {
    const { repo, engine } = await setup(FILES);
    const head = repo.head();
    // Someone tags batch/<id> just before the transaction (the id is known only then).
    const tagFirst = [
      'input="$SCRATCH/update-ref.in"; cat > "$input"',
      'ref=$(tr "\\0" "\\n" < "$input" | sed -n "s|^create \\(refs/tags/.*\\)$|\\1|p" | head -1)',
      '"$GIT" update-ref "$ref" HEAD',
      '"$GIT" "$@" < "$input"',
    ].join('\n');
    faults([{ subcommand: 'update-ref', run: tagFirst, times: 1 }]);

    const result = await engine.run(OPS);

    const tag = `refs/tags/batch/${result.batch_id}`;
    expect(result).toMatchObject({
      status: 'failed',
      commit: null,
      reason: { code: 'REF_UPDATE_FAILED', data: { moved: [{ ref: tag }] } },
    });
    expect(repo.head()).toBe(head);
    expect(repo.git('rev-parse', tag).trim()).toBe(head); // theirs, left as it is
    expect(repo.read('a.txt')).toBe('v1');
    expect(repo.git('status', '--porcelain')).toBe('');
  });
});

describe("a git killed in the middle of the batch's update-ref", () => {
  it.each([1, 3])(
    'killed at rename %i: its lock files (recorded before the call) are removed, the batch ends in the pre state',
    async (when) => {
      const { repo, engine } = await setup(FILES);
      const before = repo.snapshot();
      faults([{ subcommand: 'update-ref', run: straceInject(`rename:signal=KILL:when=${when}`), times: 1 }]);

      const result = await engine.run(OPS);

      expect(result).toMatchObject({ status: 'failed', reason: { code: 'REF_UPDATE_FAILED' } });
      expect(locks(repo)).toEqual([]);
      expect(await readJournal(join(repo.dir, '.git', 'batchctl'))).toBeNull();
      expect(await engine.recover()).toBeNull();
      expect(repo.snapshot()).toBe(before);
      expect(existsSync(join(repo.dir, '.git', 'HEAD.lock'))).toBe(false);
      await nextBatchWorks(repo, engine);
    },
  );

  it('killed after every ref moved, before it removed HEAD.lock: the batch completes and the lock is gone', async () => {
    const { repo, engine } = await setup(FILES);
    // the transaction's one unlink: HEAD.lock, once the branch is renamed into place
    faults([{ subcommand: 'update-ref', run: straceInject('unlink:signal=KILL:when=1'), times: 1 }]);

    const result = await engine.run(OPS);

    expect(result.status).toBe('completed');
    expect(repo.head()).toBe(result.commit);
    expect(repo.git('rev-parse', `batch/${result.batch_id}^{commit}`).trim()).toBe(result.commit);
    expect(locks(repo)).toEqual([]);
    await nextBatchWorks(repo, engine);
  });
});
