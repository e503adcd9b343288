import { describe, expect, it } from 'vitest';

import { batch, useEngineRepos } from '../../helpers/engine.js';

const setup = useEngineRepos();

describe('running a batch', () => {
  it('commits every operation type as one commit with the trailer block and an annotated tag', async () => {
    const { repo, engine } = await setup({
      'templates/x.toml': 'name = "x"\nversion = "1.0.0"\n',
      'old/b.toml': 'name = "b"\nversion = "1.0.0"\n',
      'recipes/c.toml': 'name = "c"\nversion = "1.0.0"\n',
      'tmp/a.log': 'a',
      'tmp/b.log': 'b',
      'tmp/keep.txt': 'keep',
    });
    const before = repo.head();
    const result = await engine.run(
      batch({
        title: 'Add 3 npm recipes',
        requested_by: 'github-actions[bot]',
        operations: [
          { type: 'write', target: '/recipes/a.toml', content: 'name = "a"\nversion = "1.0.0"\n' },
          { type: 'copy', source: 'templates/x.toml', target: 'recipes/x.toml' },
          { type: 'move', source: 'old/b.toml', target: 'recipes/b.toml' },
          { type: 'rename', source: 'recipes/c.toml', target: 'recipes/c2.toml' },
          { type: 'delete', target: 'tmp/*.log' },
          { type: 'replace', target: 'recipes/*.toml', find: '1.0.0', replace: '1.0.1' },
        ],
      }),
    );

    expect(result).toMatchObject({ status: 'completed', failure_count: 0, rollback_available: true });
    expect(result.commit).toBe(repo.head());
    // under the batch commit: the control-state commit (budget charged, breaker fed), on the old HEAD
    const control = `${result.commit}^`;
    expect(repo.git('log', '-1', '--format=%(trailers:key=Control-Change,valueonly)', control).trim()).toBe('budget');
    expect(repo.git('show', '--name-only', '--format=', control).trim()).toBe('batch-control.json');
    expect(repo.git('rev-parse', `${control}^`).trim()).toBe(before);
    expect(repo.git('rev-list', '--count', `${before}..HEAD`).trim()).toBe('2');
    const message = repo.git('log', '-1', '--format=%B');
    expect(message).toContain('Add 3 npm recipes');
    const trailers = repo.git('log', '-1', '--format=%(trailers:only,unfold)').trim().split('\n');
    expect(trailers).toEqual([
      `Batch-Id: ${result.batch_id}`,
      'Batch-Ecosystem: npm',
      `Batch-Operations: ${result.success_count}`,
      'Batch-Failed: 0',
      'Batch-Requested-By: github-actions[bot]',
    ]);
    expect(repo.git('cat-file', '-t', `batch/${result.batch_id}`).trim()).toBe('tag');
    expect(repo.git('rev-parse', `batch/${result.batch_id}^{commit}`).trim()).toBe(result.commit);
    expect(repo.git('rev-parse', `refs/batchctl/backups/${result.batch_id}`).trim()).toBe(before);
    expect(repo.git('ls-files').trim().split('\n').sort()).toEqual([
      'batch-control.json',
      'recipes/a.toml',
      'recipes/b.toml',
      'recipes/c2.toml',
      'recipes/x.toml',
      'templates/x.toml',
      'tmp/keep.txt',
    ]);
    expect(repo.read('recipes/a.toml')).toContain('1.0.1');
    expect(repo.read('recipes/x.toml')).toContain('1.0.1');
    expect(repo.read('templates/x.toml')).toContain('1.0.0');
    expect(repo.git('status', '--porcelain', '--untracked-files=all')).toBe('');
    // each item records the blob it left in the commit (what `verify` compares against); deletes none
    const items = engine.status(result.batch_id).items;
    const written = items.find((i) => i.target_path === 'recipes/x.toml');
    expect(written?.blob_id).toBe(repo.git('rev-parse', `${result.commit}:recipes/x.toml`).trim());
    expect(items.filter((i) => i.operation === 'delete').map((i) => i.blob_id)).toEqual([null, null]);
  });

  it('gives unique batch ids matching b-YYYYMMDD-HHMMSS-xxxxxx', async () => {
    const { engine } = await setup({});
    const ids = new Set<string>();
    for (let i = 0; i < 5; i++) {
      const r = await engine.run(batch({ operations: [{ type: 'write', target: `f${i}.txt`, content: String(i) }] }));
      expect(r.batch_id).toMatch(/^b-\d{8}-\d{6}-[0-9a-z]{6}$/);
      ids.add(r.batch_id);
    }
    expect(ids.size).toBe(5);
  });

  it("leaves the user's unrelated staged and unstaged changes exactly as they were", async () => {
    const { repo, engine } = await setup({ 'staged.txt': 'v1', 'unstaged.txt': 'v1', 'other.txt': 'x' });
    repo.write('staged.txt', 'staged change');
    repo.git('add', 'staged.txt');
    repo.write('unstaged.txt', 'unstaged change');
    repo.write('untracked.txt', 'mine');
    const statusBefore = repo.git('status', '--porcelain', '--untracked-files=all');
    const stagedBefore = repo.git('diff', '--cached');

    const result = await engine.run(batch({ operations: [{ type: 'write', target: 'new.txt', content: 'batch' }] }));

    expect(result.status).toBe('completed');
    expect(repo.git('show', '--name-only', '--format=', 'HEAD').trim()).toBe('new.txt');
    expect(repo.git('status', '--porcelain', '--untracked-files=all')).toBe(statusBefore);
    expect(repo.git('diff', '--cached')).toBe(stagedBefore);
    expect(repo.read('unstaged.txt')).toBe('unstaged change');
  });

  it('runs operations on one path in order (write, then replace, then copy)', async () => {
    const { repo, engine } = await setup({});
    const result = await engine.run(
      batch({
        operations: [
          { type: 'write', target: 'a.txt', content: 'hello world' },
          { type: 'replace', target: 'a.txt', find: 'world', replace: 'batch' },
          { type: 'copy', source: 'a.txt', target: 'b.txt' },
          { type: 'replace', target: 'b.txt', find: '(h\\w+)', replace: '$1!', regex: true },
        ],
      }),
    );
    expect(result.status).toBe('completed');
    expect(repo.read('a.txt')).toBe('hello batch');
    expect(repo.read('b.txt')).toBe('hello! batch');
  });

  it('keeps the literal replacement text when regex is off', async () => {
    const { repo, engine } = await setup({ 'a.txt': 'price: 1.0' });
    await engine.run(batch({ operations: [{ type: 'replace', target: 'a.txt', find: '1.0', replace: '$& and $1' }] }));
    expect(repo.read('a.txt')).toBe('price: $& and $1');
  });

  it('keeps the executable bit of copied and written files', async () => {
    const { repo, engine } = await setup({});
    await engine.run(
      batch({
        operations: [
          { type: 'write', target: 'run.sh', content: '#!/bin/sh\n', mode: '100755' },
          { type: 'copy', source: 'run.sh', target: 'run2.sh' },
        ],
      }),
    );
    expect(repo.git('ls-files', '-s', 'run.sh', 'run2.sh')).toMatch(/^100755 \S+ 0\trun\.sh\n100755 \S+ 0\trun2\.sh\n$/);
  });

  it('does not make an empty commit when nothing changes', async () => {
    const { repo, engine } = await setup({ 'a.txt': 'same' });
    const head = repo.head();
    const result = await engine.run(batch({ operations: [{ type: 'write', target: 'a.txt', content: 'same' }] }));
    expect(result).toMatchObject({ status: 'completed', commit: null, rollback_available: false });
    expect(repo.head()).toBe(head);
  });

  it('commits into an empty repository (unborn branch)', async () => {
    const { repo, engine } = await setup({}, { control: false });
    repo.git('update-ref', '-d', 'refs/heads/main');
    repo.write('batch-control.json', '{"enabled": true}');
    const result = await engine.run(batch({ operations: [{ type: 'write', target: 'first.txt', content: '1' }] }));
    expect(result.status).toBe('completed');
    expect(repo.git('rev-list', '--count', 'HEAD').trim()).toBe('2'); // the control state, then the batch
    expect(result.backup_id).toBeNull();
  });

  it('runs regexes in linear time: a catastrophic pattern cannot hang the controller', async () => {
    const { engine } = await setup({ 'a.txt': `${'a'.repeat(5000)}!` });
    const result = await engine.run(
      batch({ operations: [{ type: 'replace', target: 'a.txt', find: '(a+)+$', replace: 'x', regex: true }] }),
    );
    expect(result).toMatchObject({ status: 'failed', errors: [{ code: 'REPLACE_NO_MATCH' }] });
    const lookahead = await engine.validate(
      batch({ operations: [{ type: 'replace', target: 'a.txt', find: 'a(?=!)', replace: 'x', regex: true }] }),
    );
    expect(lookahead.issues).toMatchObject([{ code: 'REGEX_INVALID', index: 0, path: 'a.txt' }]);
  });

  it('counts glob-expanded files against max_operations_per_batch', async () => {
    const { repo, engine } = await setup({ 'd/1': '', 'd/2': '', 'd/3': '' });
    repo.write('batch-control.json', JSON.stringify({ enabled: true, policy: { limits: { max_operations_per_batch: 2 } } }));
    repo.commitAll('tight limit');
    const result = await engine.validate(batch({ operations: [{ type: 'delete', target: 'd/*' }] }));
    expect(result.issues).toMatchObject([{ code: 'TOO_MANY_OPERATIONS', index: -1 }]);
  });
});
