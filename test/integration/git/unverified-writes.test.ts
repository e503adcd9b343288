// Issue 11, classes 1 and 4: git can say it wrote what it did not (mktree prints an id and exits 0
// when the disk is full), or take input cut short and exit 0. Nothing moves a ref until every
// object it names is proven present and as asked; a ref or index write is checked after it.
import { execFileSync } from 'node:child_process';

import { describe, expect, it } from 'vitest';

import { batch, useEngineRepos } from '../../helpers/engine.js';
import { inputCutTo, lastRecordDropped, useGitFaults } from '../../helpers/git-wrapper.js';
import { GIT_ENV, type TestRepo } from '../../helpers/git-repo.js';

const setup = useEngineRepos();
const faults = useGitFaults();

/**
 * mktree, for the input that holds dir/'s new tree: every tree goes to an object directory the
 * repository does not read, then the root alone (the last tree of the batch) is written for real.
 */
const subtreeLost = [
  'input="$SCRATCH/mktree.$$"; cat > "$input"',
  'if grep -qa new.txt "$input"; then',
  '  mkdir -p "$SCRATCH/lost"; GIT_OBJECT_DIRECTORY="$SCRATCH/lost" "$GIT" "$@" < "$input"',
  `  "$NODE" -e 'const all = require("fs").readFileSync(process.argv[1]); process.stdout.write(all.subarray(all.lastIndexOf("\\0\\0") + 2))' "$input" | "$GIT" mktree --missing -z > /dev/null`,
  'else "$GIT" "$@" < "$input"; fi',
].join('\n');

const FILES = { 'a.txt': 'v1', 'b.txt': 'b', 'dir/c.txt': 'c', 'keep.txt': 'keep' };
const OPS = batch({
  operations: [
    { type: 'write', target: 'a.txt', content: 'v2' },
    { type: 'write', target: 'dir/new.txt', content: 'new' },
  ],
});

/** The repository is whole: every object every ref names is there. */
function fsckClean(repo: TestRepo): void {
  repo.git('fsck', '--strict', '--no-progress', '--no-dangling');
}

/** The batch did not land, and nothing of it is left: files, HEAD, refs, index, status as before. */
async function expectPreState(repo: TestRepo, before: string): Promise<void> {
  expect(repo.snapshot()).toBe(before);
  fsckClean(repo);
}

/** The next batch (git no longer faulty) commits. */
async function nextBatchWorks(repo: TestRepo, engine: Awaited<ReturnType<typeof setup>>['engine']): Promise<void> {
  const next = await engine.run(batch({ operations: [{ type: 'write', target: 'b.txt', content: 'b2' }] }));
  expect(next.status).toBe('completed');
  expect(repo.git('status', '--porcelain')).toBe('');
  fsckClean(repo);
}

describe('objects git says it wrote are proven present before a ref names them', () => {
  it('mktree that prints an id but loses the tree (disk full): the batch fails GIT_WRITE_UNVERIFIED, HEAD stays', async () => {
    const { repo, engine } = await setup(FILES);
    const before = repo.snapshot();
    // The tree of dir/ goes to a throwaway object directory: mktree prints its id and exits 0. The
    // root tree naming it is written, so commit-tree (which checks only the root) accepts it.
    const wrapper = faults([{ subcommand: 'mktree', run: subtreeLost }]);

    const result = await engine.run(OPS);

    expect(wrapper.faulted('mktree')).toBeGreaterThan(0);
    expect(result).toMatchObject({ status: 'failed', commit: null, reason: { code: 'GIT_WRITE_UNVERIFIED' } });
    await expectPreState(repo, before);
    await nextBatchWorks(repo, engine);
  });

  it('mktree that takes its input without the last entry: the tree is not the one asked for, HEAD stays', async () => {
    const { repo, engine } = await setup(FILES);
    const before = repo.snapshot();
    faults([{ subcommand: 'mktree', run: lastRecordDropped, times: 1 }]);

    const result = await engine.run(OPS);

    expect(result).toMatchObject({ status: 'failed', commit: null, reason: { code: 'GIT_WRITE_UNVERIFIED' } });
    await expectPreState(repo, before);
    await nextBatchWorks(repo, engine);
  });

  it('commit-tree that takes a message cut short: no commit without its trailers lands', async () => {
    const { repo, engine } = await setup(FILES);
    const before = repo.snapshot();
    faults([{ subcommand: 'commit-tree', run: inputCutTo(10), times: 1 }]);

    const result = await engine.run(OPS);

    expect(result).toMatchObject({ status: 'failed', commit: null, reason: { code: 'GIT_WRITE_UNVERIFIED' } });
    await expectPreState(repo, before);
    await nextBatchWorks(repo, engine);
  });

  it('mktag that takes its input cut short: fails loudly, HEAD stays', async () => {
    const { repo, engine } = await setup(FILES);
    const before = repo.snapshot();
    faults([{ subcommand: 'mktag', run: lastRecordDropped.replace('lastIndexOf(0,', 'lastIndexOf(10,'), times: 1 }]);

    const result = await engine.run(OPS);

    expect(result.status).toBe('failed');
    expect(result.commit).toBeNull();
    await expectPreState(repo, before);
    await nextBatchWorks(repo, engine);
  });

  it("a failed batch's retry content that mktree took without its last entry: retry still lands every write after a gc", async () => {
    const { repo, engine } = await setup(FILES);
    // only the content tree (`mktree -z`, not --batch) loses its last entry
    const cut = `case " $* " in *" --batch "*) "$GIT" "$@" ;; *) ${lastRecordDropped} ;; esac`;
    const wrapper = faults([{ subcommand: 'mktree', run: cut }]);
    const ops = batch({
      options: { atomic: true },
      operations: [
        { type: 'write', target: 'n1.txt', content: 'one' },
        { type: 'write', target: 'n2.txt', content: 'two' },
        { type: 'replace', target: 'b.txt', find: 'later', replace: 'LATER' },
      ],
    });

    const failed = await engine.run(ops);
    expect(failed).toMatchObject({ status: 'failed', reason: { code: 'ATOMIC_FAILURE' } });
    expect(wrapper.faulted('mktree')).toBeGreaterThan(0);
    fsckClean(repo);

    process.env.PATH = wrapper.path.slice(wrapper.bin.length + 1); // git is whole again
    repo.write('b.txt', 'b later');
    repo.commitAll('the missing text arrives');
    repo.git('gc', '--prune=now', '--quiet'); // a blob no ref pins is gone
    const retried = await engine.retry(failed.batch_id);
    expect(retried).toMatchObject({ status: 'completed' });
    expect([repo.read('n1.txt'), repo.read('n2.txt'), repo.read('b.txt')]).toEqual(['one', 'two', 'b LATER']);
  });
});

describe('ref and index writes are checked after git says they are done', () => {
  it('update-ref that reads none of its input and exits 0: not "completed" with HEAD where it was', async () => {
    const { repo, engine } = await setup(FILES);
    const before = repo.snapshot();
    faults([{ subcommand: 'update-ref', run: '"$GIT" "$@" < /dev/null', times: 1 }]);

    const result = await engine.run(OPS);

    expect(result).toMatchObject({ status: 'failed', commit: null, reason: { code: 'GIT_WRITE_UNVERIFIED' } });
    await expectPreState(repo, before); // the index does not hold the batch staged
    await nextBatchWorks(repo, engine);
  });

  it('update-ref that takes HEAD only (input cut after the first command): the tag and backup follow, the batch completes', async () => {
    const { repo, engine } = await setup(FILES);
    const head = repo.head();
    // "update HEAD\0<new>\0<old>\0": 12 + 41 + 41 bytes with SHA-1 ids
    faults([{ subcommand: 'update-ref', run: inputCutTo(94), times: 1 }]);

    const result = await engine.run(OPS);

    expect(result).toMatchObject({ status: 'completed', tag: `batch/${result.batch_id}` });
    expect(repo.head()).toBe(result.commit);
    expect(repo.git('rev-parse', `batch/${result.batch_id}^{commit}`).trim()).toBe(result.commit);
    expect(repo.git('rev-parse', `refs/batchctl/backups/${result.batch_id}`).trim()).toBe(head);
    expect(repo.git('status', '--porcelain')).toBe('');
    fsckClean(repo);
  });

  it('update-index that reads none of its input and exits 0: the index still learns the batch (post state)', async () => {
    const { repo, engine } = await setup(FILES);
    faults([{ subcommand: 'update-index', run: '"$GIT" "$@" < /dev/null', times: 1 }]);

    const result = await engine.run(OPS);

    expect(result.status).toBe('completed');
    expect(repo.head()).toBe(result.commit);
    // Not a staged revert of the batch, which a later `git commit` would commit as the user's.
    expect(repo.git('status', '--porcelain')).toBe('');
    fsckClean(repo);
  });

  it('update-index whose input is cut inside its last path: no entry named from the cut path is left', async () => {
    const { repo, engine } = await setup(FILES);
    // "…\tbatch-control.json\0" arrives as "…\tbatch-control.js": git adds batch-control.js
    faults([{ subcommand: 'update-index', run: 'head -c -3 | "$GIT" "$@"', times: 1 }]);

    const result = await engine.run(OPS);

    expect(result.status).toBe('completed');
    expect(repo.head()).toBe(result.commit);
    expect(repo.git('ls-files', '--', 'batch-control.js')).toBe('');
    expect(repo.git('status', '--porcelain')).toBe('');
    fsckClean(repo);
  });
});

describe('trees with modes git writes canonically', () => {
  it('a batch beside an old 100664 entry completes, the entry written back as it was (mktree keeps modes as given)', async () => {
    const { repo, engine } = await setup(FILES);
    // An old tree: `x` with mode 100664, which git no longer writes but still reads.
    const blob = repo.git('rev-parse', 'HEAD:b.txt').trim();
    const rawEntry = Buffer.concat([Buffer.from('100664 x\0'), Buffer.from(blob, 'hex')]);
    const old = execFileSync('git', ['hash-object', '-t', 'tree', '-w', '--literally', '--stdin'], {
      cwd: repo.dir,
      input: rawEntry,
      env: GIT_ENV,
    });
    const tree = execFileSync('git', ['mktree'], {
      cwd: repo.dir,
      env: GIT_ENV,
      input: `${repo.git('ls-tree', 'HEAD')}040000 tree ${old.toString().trim()}\told\n`,
    });
    const commit = repo.git('commit-tree', tree.toString().trim(), '-p', 'HEAD', '-m', 'an old tree').trim();
    repo.git('reset', '-q', '--hard', commit);

    const result = await engine.run(batch({ operations: [{ type: 'write', target: 'old/y.txt', content: 'y' }] }));

    expect(result, JSON.stringify(result.reason)).toMatchObject({ status: 'completed' });
    const raw = execFileSync('git', ['cat-file', 'tree', 'HEAD:old'], { cwd: repo.dir, env: GIT_ENV });
    expect(raw.includes(rawEntry)).toBe(true); // ls-tree would print it as 100644
    fsckClean(repo);
  });
});
