// retry: a failed batch keeps what retry needs without its content in SQLite; a refused batch can be
// retried whole; a second retry of one batch returns the first unless `again`.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';

import type { Engine } from '../../../controller/engine/index.js';
import { batch, useEngineRepos } from '../../helpers/engine.js';
import type { TestRepo } from '../../helpers/git-repo.js';

const setup = useEngineRepos();

/** Every op_json byte the batch's item rows hold. */
function storedBytes(engine: Engine, batchId: string): number {
  const { items } = engine.status(batchId, { itemLimit: 10_000 });
  return items.reduce((sum, item) => sum + (item.op_json?.length ?? 0), 0);
}

/** The database's size as SQLite sees it (its pages, those still in the WAL included). */
function databaseBytes(repo: TestRepo): number {
  const db = new Database(join(repo.dir, '.git', 'batchctl', 'state.db'), { readonly: true });
  try {
    return (db.pragma('page_count', { simple: true }) as number) * (db.pragma('page_size', { simple: true }) as number);
  } finally {
    db.close();
  }
}
const retryRef = (repo: TestRepo, id: string): string =>
  repo.git('for-each-ref', '--format=%(objecttype)', `refs/batchctl/retry/${id}`).trim();

describe('a failed batch and retry', () => {
  it('keeps the content of 300 × 10 KB rolled-back writes out of SQLite, and retry lands exactly those bytes', async () => {
    const { repo, engine } = await setup({ 'k.txt': 'keep\n' });
    const contents = Array.from({ length: 300 }, () => randomBytes(10_240));
    const sizeBefore = databaseBytes(repo);
    const failed = await engine.run(
      batch({
        options: { atomic: true },
        operations: [
          ...contents.map((bytes, i) => ({ type: 'write' as const, target: `bin/${i}.bin`, content_base64: bytes.toString('base64') })),
          { type: 'replace', target: 'k.txt', find: 'later', replace: 'LATER' },
        ],
      }),
    );
    expect(failed).toMatchObject({ status: 'failed', reason: { code: 'ATOMIC_FAILURE' } });
    // 3 MB of content, and the rows hold about a hundred bytes per operation.
    expect(storedBytes(engine, failed.batch_id)).toBeLessThan(301 * 200);
    expect(databaseBytes(repo) - sizeBefore).toBeLessThan(300_000);
    expect(retryRef(repo, failed.batch_id)).toBe('tree');

    repo.write('k.txt', 'keep later\n');
    repo.commitAll('the missing text arrives');
    const retried = await engine.retry(failed.batch_id);
    expect(retried).toMatchObject({ status: 'completed', success_count: 301 });
    contents.forEach((bytes, i) => expect(readFileSync(join(repo.dir, `bin/${i}.bin`)).equals(bytes)).toBe(true));
    expect(repo.git('log', '-1', '--format=%(trailers:key=Retries-Batch,valueonly)').trim()).toBe(failed.batch_id);
  });

  it('keeps the content of a write that did not land in a committed batch in git, and retry lands its bytes', async () => {
    const { repo, engine } = await setup({ 'k.txt': 'keep\n' });
    const bytes = randomBytes(4096);
    const partial = await engine.run(
      batch({
        operations: [
          ...Array.from({ length: 9 }, (_, i) => ({ type: 'write' as const, target: `w/${i}.txt`, content: `${i}` })),
          { type: 'replace', target: 'k.txt', find: 'later', replace: 'LATER' },
          { type: 'write', target: 'after.bin', content_base64: bytes.toString('base64'), depends_on: [9] },
        ],
      }),
    );
    expect(partial).toMatchObject({ status: 'completed', success_count: 9 });
    const skipped = engine.status(partial.batch_id, { itemLimit: 20 }).items.find((i) => i.target_path === 'after.bin');
    expect(skipped).toMatchObject({ status: 'skipped' });
    expect(JSON.parse(skipped?.op_json ?? '{}')).not.toHaveProperty('content_base64');
    repo.write('k.txt', 'keep later\n');
    repo.commitAll('fix');
    const retried = await engine.retry(partial.batch_id);
    expect(retried).toMatchObject({ status: 'completed', success_count: 2 });
    expect(readFileSync(join(repo.dir, 'after.bin')).equals(bytes)).toBe(true);
  });

  it('names the missing content when it was purged or deleted', async () => {
    const { repo, engine } = await setup({ 'k.txt': 'keep\n' });
    const failed = await engine.run(
      batch({
        options: { atomic: true },
        operations: [
          { type: 'write', target: 'a.txt', content: 'a' },
          { type: 'replace', target: 'k.txt', find: 'later', replace: 'LATER' },
        ],
      }),
    );
    repo.git('update-ref', '-d', `refs/batchctl/retry/${failed.batch_id}`);
    const head = repo.head();
    await expect(engine.retry(failed.batch_id)).rejects.toMatchObject({
      code: 'RETRY_CONTENT_MISSING',
      data: { batch_id: failed.batch_id },
    });
    expect(repo.head()).toBe(head);
  });
});

describe('retrying a refused batch', () => {
  const binary = randomBytes(2048);
  const operations = [
    { type: 'write' as const, target: 'doc.txt', content: 'text\n' },
    { type: 'write' as const, target: 'blob.bin', content_base64: binary.toString('base64') },
    { type: 'copy' as const, source: 'src.txt', target: 'copy.txt', depends_on: [0] },
  ];

  it('runs every operation of a batch the emergency stop refused, once resumed', async () => {
    const { repo, engine } = await setup({ 'src.txt': 'source\n' });
    await engine.stop({ reason: 'incident', by: 'ops' });
    const refused = await engine.run(batch({ operations }));
    expect(refused).toMatchObject({ status: 'refused', reason: { code: 'EMERGENCY_STOP' } });
    const items = engine.status(refused.batch_id).items;
    expect(items.map((i) => [i.item_index, i.status])).toEqual([
      [0, 'pending'],
      [1, 'pending'],
      [2, 'pending'],
    ]);
    expect(items.map((i) => i.op_json ?? '').join('')).not.toContain(binary.toString('base64'));
    await engine.resume({ by: 'ops' });

    const retried = await engine.retry(refused.batch_id);
    expect(retried).toMatchObject({ status: 'completed', success_count: 3 });
    expect(repo.read('doc.txt')).toBe('text\n');
    expect(readFileSync(join(repo.dir, 'blob.bin')).equals(binary)).toBe(true);
    expect(repo.read('copy.txt')).toBe('source\n');
  });

  it('runs every operation of a batch validation refused, once the repository allows it', async () => {
    const { repo, engine } = await setup();
    const refused = await engine.run(batch({ operations }));
    expect(refused.reason?.code).toBe('VALIDATION_FAILED');
    expect(engine.status(refused.batch_id).items.find((i) => i.item_index === 2)).toMatchObject({
      status: 'failed',
      error_code: expect.any(String),
    });
    repo.write('src.txt', 'source\n');
    repo.commitAll('the source arrives');
    expect(await engine.retry(refused.batch_id)).toMatchObject({ status: 'completed', success_count: 3 });
    expect(repo.read('copy.txt')).toBe('source\n');
  });

  it('runs every operation of a batch refused by --plan-hash', async () => {
    const { repo, engine } = await setup({ 'src.txt': 'source\n' });
    const refused = await engine.run(batch({ operations }), { planHash: `sha256:${'0'.repeat(64)}` });
    expect(refused.reason?.code).toBe('PLAN_HASH_MISMATCH');
    expect(await engine.retry(refused.batch_id)).toMatchObject({ status: 'completed', success_count: 3 });
    expect(readFileSync(join(repo.dir, 'blob.bin')).equals(binary)).toBe(true);
  });
});

describe('retrying one batch twice', () => {
  it('returns the first retry the second time, and runs a new one with again', async () => {
    const { repo, engine } = await setup({ 'k.txt': 'keep\n' });
    const failed = await engine.run(
      batch({
        options: { atomic: true },
        operations: [
          { type: 'write', target: 'a.txt', content: 'a' },
          { type: 'replace', target: 'k.txt', find: 'later', replace: 'LATER' },
        ],
      }),
    );
    repo.write('k.txt', 'keep later\n');
    repo.commitAll('fix');
    const first = await engine.retry(failed.batch_id);
    expect(first.status).toBe('completed');
    const head = repo.head();

    const second = await engine.retry(failed.batch_id);
    expect(second).toMatchObject({ batch_id: first.batch_id, status: 'completed', commit: first.commit, idempotent_replay: true });
    expect(repo.head()).toBe(head);
    expect(engine.list({ limit: 10 }).map((b) => b.batch_id)).toHaveLength(2);

    const third = await engine.retry(failed.batch_id, { again: true });
    expect(third.batch_id).not.toBe(first.batch_id);
    expect(third.idempotent_replay).toBeUndefined();
    expect(engine.list({ limit: 10 })).toHaveLength(3);
  });
});
