import { rmSync } from 'node:fs';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { batch, engineFor, useEngineRepos } from '../../helpers/engine.js';

const setup = useEngineRepos();
const FILES = { 'f.txt': 'line1\nline2\nline3\n', 'k.txt': 'keep\n', 'other.txt': 'o\n' };
const OPS = batch({
  title: 'Edit f, add n, delete k',
  operations: [
    { type: 'replace', target: 'f.txt', find: 'line1', replace: 'LINE1' },
    { type: 'write', target: 'n.txt', content: 'new\n' },
    { type: 'delete', target: 'k.txt' },
  ],
});

describe('rollback', () => {
  it('reverts a batch into one commit with Reverts-Batch, its own Batch-Id and the rollback tag', async () => {
    const { repo, engine } = await setup(FILES);
    const preBatchTree = repo.git('rev-parse', 'HEAD^{tree}').trim();
    const original = await engine.run(OPS);
    const result = await engine.rollback(original.batch_id);

    expect(result).toMatchObject({
      success: true,
      restored: ['f.txt', 'k.txt'],
      deleted: ['n.txt'],
      conflicts: [],
      tag: `rollback/${original.batch_id}`,
    });
    // every path as before the batch; batch-control.json keeps the budget the batch used
    expect(repo.git('diff', '--name-only', preBatchTree, 'HEAD').trim()).toBe('batch-control.json');
    expect(repo.git('rev-list', '--count', `${original.commit}..HEAD`).trim()).toBe('1');
    const trailers = repo.git('log', '-1', '--format=%(trailers:only,unfold)');
    expect(trailers).toContain(`Reverts-Batch: ${original.batch_id}`);
    expect(trailers).toContain(`Batch-Id: ${result.rollback_batch_id}`);
    expect(repo.git('rev-parse', `rollback/${original.batch_id}^{commit}`).trim()).toBe(repo.head());
    expect(repo.git('rev-parse', `batch/${result.rollback_batch_id}^{commit}`).trim()).toBe(repo.head());
    expect(engine.status(original.batch_id).batch.status).toBe('rolled_back');
    expect(engine.status(original.batch_id).items).toHaveLength(3);
    expect(repo.git('status', '--porcelain', '--untracked-files=all')).toBe('');
  });

  it('keeps later changes to other lines (a three-way revert, like git revert)', async () => {
    const { repo, engine } = await setup(FILES);
    const original = await engine.run(OPS);
    repo.write('f.txt', repo.read('f.txt').replace('line3', 'LINE3'));
    repo.commitAll('later edit of another line');
    await engine.rollback(original.batch_id);
    expect(repo.read('f.txt')).toBe('line1\nline2\nLINE3\n');
  });

  it('aborts on a conflict with the tree, index and HEAD exactly as before, listing the paths', async () => {
    const { repo, engine } = await setup(FILES);
    const original = await engine.run(OPS);
    repo.write('f.txt', 'LINE1 changed again\nline2\nline3\n');
    repo.commitAll('later edit of the same line');
    const before = repo.snapshot();
    await expect(engine.rollback(original.batch_id)).rejects.toMatchObject({
      code: 'ROLLBACK_CONFLICT',
      exitCode: 4,
      data: { conflicts: [{ path: 'f.txt' }] },
    });
    expect(repo.snapshot()).toBe(before);
  });

  it('resets the paths to the backup ref with --restore', async () => {
    const { repo, engine } = await setup(FILES);
    const original = await engine.run(OPS);
    repo.write('f.txt', 'LINE1 changed again\nline2\nline3\n');
    repo.commitAll('later edit of the same line');
    const result = await engine.rollback(original.batch_id, { restore: true });
    expect(result.success).toBe(true);
    expect(repo.read('f.txt')).toBe(FILES['f.txt']);
  });

  it('reverts only the paths matching --paths, with a Rollback-Paths trailer', async () => {
    const { repo, engine } = await setup(FILES);
    const original = await engine.run(OPS);
    const result = await engine.rollback(original.batch_id, { paths: ['*.txt'], dryRun: true });
    expect(result.restored.length + result.deleted.length).toBe(3);
    const partial = await engine.rollback(original.batch_id, { paths: ['n.*', 'k.txt'] });
    expect(partial).toMatchObject({ success: true, restored: ['k.txt'], deleted: ['n.txt'], tag: null });
    expect(repo.read('f.txt')).toContain('LINE1');
    expect(repo.git('log', '-1', '--format=%(trailers:key=Rollback-Paths,valueonly)').trim()).toBe('n.* k.txt');
  });

  it('changes nothing on a dry run', async () => {
    const { repo, engine } = await setup(FILES);
    const original = await engine.run(OPS);
    const before = repo.snapshot();
    expect(await engine.rollback(original.batch_id, { dryRun: true })).toMatchObject({
      dry_run: true,
      restored: ['f.txt', 'k.txt'],
      commit: null,
    });
    expect(repo.snapshot()).toBe(before);
  });

  it('refuses to roll back twice, and rolls back a rollback', async () => {
    const { repo, engine } = await setup(FILES);
    const original = await engine.run(OPS);
    const first = await engine.rollback(original.batch_id);
    await expect(engine.rollback(original.batch_id)).rejects.toMatchObject({ code: 'ALREADY_ROLLED_BACK' });
    await engine.rollback(first.rollback_batch_id ?? '');
    expect(repo.git('rev-parse', 'HEAD^{tree}').trim()).toBe(repo.git('rev-parse', `${original.commit}^{tree}`).trim());
  });

  it('matches ids exactly: a prefix is refused, an unknown id is not found', async () => {
    const { engine } = await setup(FILES);
    const original = await engine.run(OPS);
    await expect(engine.rollback(original.batch_id.slice(0, -1))).rejects.toMatchObject({ code: 'BATCH_ID_INVALID', exitCode: 2 });
    await expect(engine.rollback('b-20200101-000000-aaaaaa')).rejects.toMatchObject({ code: 'BATCH_NOT_FOUND', exitCode: 5 });
  });

  it('refuses a hand-forged Batch-Id trailer unless --force', async () => {
    const { repo, engine } = await setup(FILES);
    const forged = 'b-20261122-101500-f0rg3d';
    repo.write('f.txt', 'forged\n');
    repo.commitAll(
      `looks like a batch\n\nBatch-Id: ${forged}\nBatch-Ecosystem: npm\nBatch-Operations: 1\nBatch-Failed: 0\nBatch-Requested-By: mallory`,
    );
    const before = repo.snapshot();
    await expect(engine.rollback(forged)).rejects.toMatchObject({ code: 'BATCH_NOT_VERIFIED' });
    expect(repo.snapshot()).toBe(before);
    expect((await engine.rollback(forged, { force: true })).success).toBe(true);
    expect(repo.read('f.txt')).toBe(FILES['f.txt']);
  });

  it('keeps the original batch failed operations on record after its rollback', async () => {
    const { engine } = await setup(FILES);
    const original = await engine.run(
      batch({
        operations: [
          ...Array.from({ length: 9 }, (_, i) => ({ type: 'write' as const, target: `w/${i}`, content: 'x' })),
          { type: 'replace', target: 'k.txt', find: 'absent', replace: '' },
        ],
      }),
    );
    expect(original.failure_count).toBe(1);
    await engine.rollback(original.batch_id);
    expect(engine.status(original.batch_id).items.filter((i) => i.status === 'failed')).toHaveLength(1);
  });
});

describe('retry', () => {
  it('runs again exactly the operations that failed, linked by Retries-Batch', async () => {
    const { repo, engine } = await setup(FILES);
    const original = await engine.run(
      batch({
        operations: [
          ...Array.from({ length: 9 }, (_, i) => ({ type: 'write' as const, target: `w/${i}`, content: 'x' })),
          { type: 'replace', target: 'k.txt', find: 'later', replace: 'LATER' },
        ],
      }),
    );
    expect(original.failure_count).toBe(1);
    repo.write('k.txt', 'keep later\n');
    repo.commitAll('the missing text arrives');
    const retry = await engine.retry(original.batch_id);
    expect(retry).toMatchObject({ status: 'completed', success_count: 1 });
    expect(repo.read('k.txt')).toBe('keep LATER\n');
    expect(repo.git('log', '-1', '--format=%(trailers:key=Retries-Batch,valueonly)').trim()).toBe(original.batch_id);
    await expect(engine.retry(retry.batch_id)).rejects.toMatchObject({ code: 'NOTHING_TO_RETRY' });
  });

  it('re-runs every operation of a batch that was rolled back for failures', async () => {
    const { repo, engine } = await setup(FILES);
    const original = await engine.run(
      batch({
        operations: [
          { type: 'write', target: 'a.txt', content: 'a' },
          { type: 'replace', target: 'k.txt', find: 'later', replace: 'LATER' },
        ],
      }),
    );
    expect(original.status).toBe('failed');
    repo.write('k.txt', 'keep later\n');
    repo.commitAll('fix');
    expect((await engine.retry(original.batch_id)).success_count).toBe(2);
    expect(repo.read('a.txt')).toBe('a');
  });
});

describe('batch signatures', () => {
  it('signs batch commits with BATCHCTL_SIGNING_KEY and accepts only verifying commits for rollback', async () => {
    const { repo, engine: unsigned } = await setup(FILES);
    const plain = await unsigned.run(batch({ operations: [{ type: 'write', target: 'plain.txt', content: 'p' }] }));
    const key = 'correct horse battery staple';
    const signed = await engineFor(repo, { BATCHCTL_SIGNING_KEY: key });
    try {
      const ok = await signed.run(batch({ operations: [{ type: 'write', target: 'signed.txt', content: 's' }] }));
      expect(repo.git('log', '-1', '--format=%(trailers:key=Batch-Sig,valueonly)').trim()).toMatch(/^[0-9a-f]{64}$/);
      await expect(signed.rollback(plain.batch_id)).rejects.toMatchObject({ code: 'BATCH_NOT_VERIFIED' });
      expect((await signed.rollback(ok.batch_id)).success).toBe(true);
    } finally {
      signed.close();
    }
    const wrongKey = await engineFor(repo, { BATCHCTL_SIGNING_KEY: 'another key of 16+ chars' });
    try {
      const found = repo.git('log', '--format=%(trailers:key=Batch-Id,valueonly)', '-3').trim().split('\n').filter(Boolean);
      const signedId = found.find((id) => id !== plain.batch_id && repo.git('tag', '--list', `rollback/${id}`) === '') ?? '';
      await expect(wrongKey.rollback(signedId)).rejects.toMatchObject({ code: 'BATCH_NOT_VERIFIED' });
    } finally {
      wrongKey.close();
    }
  });
});

describe('reindex', () => {
  it('rebuilds committed batches and rollbacks from git into an empty database', async () => {
    const { repo, engine } = await setup(FILES);
    const a = await engine.run(OPS);
    const b = await engine.run(
      batch({ ecosystem: 'pypi', requested_by: 'bot', operations: [{ type: 'write', target: 'x/y.txt', content: 'y' }] }),
    );
    const failed = await engine.run(batch({ operations: [{ type: 'replace', target: 'other.txt', find: 'absent', replace: '' }] }));
    const rb = await engine.rollback(a.batch_id);
    engine.close();
    const fresh = await engineFor(repo);
    const dbFile = join(repo.dir, '.git', 'batchctl', 'state.db');
    fresh.close();
    for (const suffix of ['', '-wal', '-shm']) rmSync(dbFile + suffix, { force: true });
    const rebuilt = await engineFor(repo);
    try {
      const report = await rebuilt.reindex();
      expect(report).toMatchObject({ batches_found: 3, inserted: 3, already_present: 0 });
      expect(report.note).toContain('never committed');
      expect(rebuilt.status(a.batch_id).batch).toMatchObject({
        status: 'rolled_back',
        commit_sha: a.commit,
        tag: `batch/${a.batch_id}`,
        source: 'reindex',
      });
      expect(rebuilt.status(b.batch_id).batch).toMatchObject({
        status: 'completed',
        ecosystem: 'pypi',
        requested_by: 'bot',
        total_count: 1,
      });
      expect(rebuilt.status(b.batch_id).items).toMatchObject([{ target_path: 'x/y.txt', status: 'succeeded' }]);
      expect(rebuilt.status(rb.rollback_batch_id ?? '').batch.status).toBe('completed');
      expect(() => rebuilt.status(failed.batch_id)).toThrow(expect.objectContaining({ code: 'BATCH_NOT_FOUND' }));
      expect((await rebuilt.reindex()).inserted).toBe(0);
    } finally {
      rebuilt.close();
    }
  });
});
