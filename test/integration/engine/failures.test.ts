import { readdirSync } from 'node:fs';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import type { Operation } from '../../../controller/domain/index.js';
import { batch, useEngineRepos } from '../../helpers/engine.js';
import { undoControlState } from '../../helpers/git-repo.js';

const setup = useEngineRepos();

const FILES = { 'r/1.txt': 'v1', 'r/2.txt': 'v1', 'r/3.txt': 'v1', 'keep.txt': 'keep' };

/** `failing` replace ops whose find string is absent (they fail at run time), plus good writes. */
function mixed(good: number, failing: number): Operation[] {
  const ops: Operation[] = [];
  for (let i = 0; i < good; i++) ops.push({ type: 'write', target: `new/${i}.txt`, content: `n${i}` });
  for (let i = 1; i <= failing; i++) ops.push({ type: 'replace', target: `r/${i}.txt`, find: 'absent', replace: 'x' });
  return ops;
}

describe('failures while applying', () => {
  it('rolls back a batch whose failure rate exceeds the threshold: every path restored, no commit', async () => {
    const { repo, engine } = await setup(FILES);
    repo.write('r/1.txt', 'v1'); // unchanged content: still clean
    const before = repo.snapshot();
    const head = repo.head();
    const result = await engine.run(batch({ operations: [...mixed(7, 3), { type: 'delete', target: 'keep.txt' }] }));

    expect(result.status).toBe('failed');
    expect(result.reason?.code).toBe('FAILURE_THRESHOLD');
    expect(result.commit).toBeNull();
    expect(result.errors.map((e) => e.code)).toEqual(['REPLACE_NO_MATCH', 'REPLACE_NO_MATCH', 'REPLACE_NO_MATCH']);
    expect(undoControlState(repo, head)).toEqual(['budget']); // the failure is recorded for the breaker
    expect(repo.snapshot()).toBe(before);
    const details = engine.status(result.batch_id);
    expect(details.batch.status).toBe('failed');
    expect(details.items.filter((i) => i.status === 'reverted')).toHaveLength(8);
    expect(details.items.filter((i) => i.status === 'failed').map((i) => i.target_path)).toEqual(['r/1.txt', 'r/2.txt', 'r/3.txt']);
  });

  it('commits the successful operations and records the failed ones when under the threshold', async () => {
    const { repo, engine } = await setup(FILES);
    const result = await engine.run(batch({ operations: mixed(9, 1) }));

    expect(result).toMatchObject({ status: 'completed', success_count: 9, failure_count: 1 });
    expect(repo.git('log', '-1', '--format=%(trailers:key=Batch-Failed,valueonly)').trim()).toBe('1');
    expect(repo.git('show', '--name-only', '--format=', 'HEAD').trim().split('\n')).toHaveLength(9);
    expect(repo.read('r/1.txt')).toBe('v1');
    const failed = engine.status(result.batch_id).items.filter((i) => i.status === 'failed');
    expect(failed).toMatchObject([{ target_path: 'r/1.txt', error_code: 'REPLACE_NO_MATCH' }]);
  });

  it('honours a batch-level failure_threshold', async () => {
    const { repo, engine } = await setup(FILES);
    const before = repo.snapshot();
    const head = repo.head();
    const result = await engine.run(batch({ operations: mixed(9, 1), options: { failure_threshold: 0.05 } }));
    expect(result.status).toBe('failed');
    undoControlState(repo, head);
    expect(repo.snapshot()).toBe(before);
  });

  it('rolls back an atomic batch on its first failure', async () => {
    const { repo, engine } = await setup(FILES);
    const before = repo.snapshot();
    const head = repo.head();
    const result = await engine.run(batch({ operations: mixed(20, 1), options: { atomic: true } }));
    expect(result).toMatchObject({ status: 'failed', reason: { code: 'ATOMIC_FAILURE' }, commit: null });
    undoControlState(repo, head);
    expect(repo.snapshot()).toBe(before);
  });

  it('rolls back a batch big enough to stream its blobs into a pack, leaving no temp pack or crash report', async () => {
    const { repo, engine } = await setup(FILES);
    const before = repo.snapshot();
    const head = repo.head();
    const result = await engine.run(batch({ operations: mixed(1_200, 1), options: { atomic: true } }));
    expect(result).toMatchObject({ status: 'failed', reason: { code: 'ATOMIC_FAILURE' }, commit: null });
    undoControlState(repo, head);
    expect(repo.snapshot()).toBe(before);
    expect(readdirSync(join(repo.dir, '.git')).filter((name) => name.startsWith('fast_import_crash'))).toEqual([]);
    expect(repo.git('count-objects', '-v')).toMatch(/^garbage: 0$/m);
    repo.git('fsck', '--no-progress');
  }, 30_000);

  it('skips operations that wait on a failed one, and counts them apart in its progress', async () => {
    const { repo, engine } = await setup(FILES);
    const progress: Array<{ failed: number; skipped: number; completed: number }> = [];
    const off = engine.on((event) => {
      if (event.type === 'batch_progress') progress.push(event.data as unknown as { failed: number; skipped: number; completed: number });
    });
    const result = await engine.run(
      batch({
        operations: [
          ...mixed(10, 0),
          { type: 'replace', target: 'r/1.txt', find: 'absent', replace: 'x' },
          { type: 'copy', source: 'r/1.txt', target: 'copy.txt' },
        ],
        options: { failure_threshold: 0.5 },
      }),
    );
    expect(result.status).toBe('completed');
    expect(result.errors.map((e) => e.code)).toEqual(['REPLACE_NO_MATCH', 'DEPENDENCY_FAILED']);
    expect(repo.git('ls-files', 'copy.txt')).toBe('');
    off();
    // `failed` is every step that did not land (as failure_count); `skipped` is its share never started.
    expect(progress.at(-1)).toMatchObject({ completed: 10, failed: 2, skipped: 1 });
    expect(result.failure_count).toBe(2);
  });

  it('loses the race cleanly when someone commits while the batch runs: no commit, work tree restored', async () => {
    const { repo, engine } = await setup(FILES);
    let raced = false;
    const off = engine.on((event) => {
      if (event.type !== 'batch_progress' || raced) return;
      raced = true; // a person commits an unrelated file mid-batch
      repo.write('theirs.txt', 'theirs');
      repo.git('add', 'theirs.txt');
      repo.git('commit', '-q', '-m', 'their commit');
    });
    const theirs = (): string => repo.git('log', '-1', '--format=%s').trim();
    const result = await engine.run(batch({ operations: mixed(30, 0) }));
    off();
    expect(result).toMatchObject({ status: 'failed', reason: { code: 'HEAD_MOVED' }, commit: null });
    expect(theirs()).toBe('their commit');
    expect(repo.git('status', '--porcelain', '--untracked-files=all')).toBe('');
    expect(repo.git('tag', '--list')).toBe('');
  });
});
