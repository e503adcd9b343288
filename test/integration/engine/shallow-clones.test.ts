// Commands that need history, in shallow clones (issue 10 §1): a depth-1 clone has no parent of the
// batch commit, and git shows a boundary commit as one that added every file. batchctl refuses
// (SHALLOW_CLONE) with the repository unchanged, or with `fetch` deepens just enough and reverts only
// the batch's paths. A revert wider than its batch is refused whatever the cause (ROLLBACK_UNSAFE).
import { afterEach, describe, expect, it } from 'vitest';

import type { Engine } from '../../../controller/engine/index.js';
import { batch, engineFor } from '../../helpers/engine.js';
import { gitRepo, removeRepo, type TestRepo } from '../../helpers/git-repo.js';
import { shallowClone, type ShallowClone } from '../../helpers/shallow-clone.js';

const cleanups: Array<() => void | Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function engineOn(repo: TestRepo, env: Record<string, string> = {}): Promise<Engine> {
  const engine = await engineFor(repo, env);
  cleanups.push(() => engine.close());
  return engine;
}

const FILES = {
  'recipes/a.toml': 'name = "a"\nversion = "1"\n',
  'recipes/b.toml': 'name = "b"\n',
  'recipes/c.toml': 'name = "c"\n',
  'README.md': 'registry\n',
};

/** An origin with a batch (edit a.toml, add new.toml), optionally a later unrelated commit, and a clone of it. */
async function batchThenClone({
  depth,
  tags,
  later = true,
}: {
  depth: number;
  tags: boolean;
  later?: boolean;
}): Promise<ShallowClone & { id: string; batchCommit: string }> {
  const origin = gitRepo(FILES);
  cleanups.push(() => removeRepo(origin));
  const engine = await engineOn(origin);
  const result = await engine.run(
    batch({
      operations: [
        { type: 'replace', target: 'recipes/a.toml', find: 'version = "1"', replace: 'version = "2"' },
        { type: 'write', target: 'recipes/new.toml', content: 'name = "new"\n' },
      ],
    }),
  );
  expect(result.status).toBe('completed');
  if (later) {
    origin.write('README.md', 'registry, later\n');
    origin.commitAll('a later, unrelated commit');
  }
  const shallow = shallowClone(origin, { depth, tags });
  cleanups.push(() => shallow.cleanup());
  return { ...shallow, id: result.batch_id, batchCommit: result.commit ?? '' };
}

const CASES = [
  { depth: 1, tags: true },
  { depth: 1, tags: false },
  { depth: 2, tags: true },
  { depth: 2, tags: false },
];

describe.each(CASES)('rollback in a depth-$depth clone (tags: $tags)', ({ depth, tags }) => {
  it('refuses with SHALLOW_CLONE, dry run and --paths included, and changes nothing', async () => {
    const { clone, id } = await batchThenClone({ depth, tags });
    expect(clone.git('rev-parse', '--is-shallow-repository').trim()).toBe('true');
    const before = clone.snapshot();
    const engine = await engineOn(clone);
    await expect(engine.rollback(id, { dryRun: true })).rejects.toMatchObject({ code: 'SHALLOW_CLONE', exitCode: 2 });
    await expect(engine.rollback(id, { paths: ['recipes/**'] })).rejects.toMatchObject({ code: 'SHALLOW_CLONE' });
    await expect(engine.rollback(id, { force: true })).rejects.toMatchObject({ code: 'SHALLOW_CLONE' });
    expect(clone.snapshot()).toBe(before);
  });

  it('with fetch, deepens just enough and reverts only the batch', async () => {
    const { clone, id, batchCommit } = await batchThenClone({ depth, tags });
    const head = clone.head();
    const engine = await engineOn(clone);
    const result = await engine.rollback(id, { fetch: true });
    expect(result).toMatchObject({ success: true, restored: ['recipes/a.toml'], deleted: ['recipes/new.toml'] });
    expect(clone.git('diff', '--name-only', head, 'HEAD').trim().split('\n')).toEqual(['recipes/a.toml', 'recipes/new.toml']);
    expect(clone.read('recipes/a.toml')).toBe(FILES['recipes/a.toml']);
    expect(clone.read('recipes/b.toml')).toBe(FILES['recipes/b.toml']);
    expect(clone.read('README.md')).toBe('registry, later\n');
    // the batch commit's parent is here now; the clone is still shallow (only what was needed came)
    expect(clone.git('rev-parse', `${batchCommit}^`).trim()).toMatch(/^[0-9a-f]{40}$/);
    expect(clone.git('rev-parse', '--is-shallow-repository').trim()).toBe('true');
  });
});

describe('rollback of the clone boundary itself (the batch commit is HEAD of a depth-1 clone)', () => {
  it.each([true, false])('refuses without fetch and reverts only the batch with it (tags: %s)', async (tags) => {
    const { clone, id } = await batchThenClone({ depth: 1, tags, later: false });
    const before = clone.snapshot();
    const engine = await engineOn(clone);
    await expect(engine.rollback(id, { paths: ['recipes/**'] })).rejects.toMatchObject({ code: 'SHALLOW_CLONE' });
    expect(clone.snapshot()).toBe(before);
    const result = await engine.rollback(id, { fetch: true });
    expect(result).toMatchObject({ success: true, restored: ['recipes/a.toml'], deleted: ['recipes/new.toml'] });
    expect(clone.read('recipes/c.toml')).toBe(FILES['recipes/c.toml']);
  });
});

describe('fetch without a remote', () => {
  it('still refuses with SHALLOW_CLONE', async () => {
    const { clone, id } = await batchThenClone({ depth: 1, tags: true });
    clone.git('remote', 'remove', 'origin');
    const before = clone.snapshot();
    const engine = await engineOn(clone);
    await expect(engine.rollback(id, { fetch: true })).rejects.toMatchObject({ code: 'SHALLOW_CLONE', data: { remote: null } });
    expect(clone.snapshot()).toBe(before);
  });
});

describe('a legacy id in a shallow clone', () => {
  it('refuses with SHALLOW_CLONE while its commit or parent is missing; with fetch deepens and reverts it', async () => {
    const origin = gitRepo(FILES);
    cleanups.push(() => removeRepo(origin));
    origin.write('recipes/b.toml', 'name = "b"\nversion = "2"\n');
    const legacy = origin.commitAll('registry batch\n\nbatch_id: 2025-03-14-npm');
    origin.write('README.md', 'registry, later\n');
    origin.commitAll('a later, unrelated commit');
    const shallow = shallowClone(origin, { depth: 1, tags: false });
    cleanups.push(() => shallow.cleanup());
    const { clone } = shallow;
    const before = clone.snapshot();
    const engine = await engineOn(clone);
    await expect(engine.legacy({ id: '2025-03-14-npm' })).rejects.toMatchObject({ code: 'SHALLOW_CLONE' });
    await expect(engine.rollback('2025-03-14-npm', { legacy: {} })).rejects.toMatchObject({ code: 'SHALLOW_CLONE' });
    expect(clone.snapshot()).toBe(before);

    const rolled = await engine.rollback('2025-03-14-npm', { legacy: {}, fetch: true });
    expect(rolled).toMatchObject({ success: true, status: 'completed' });
    expect(clone.git('diff', '--name-only', 'HEAD~1', 'HEAD').trim()).toBe('recipes/b.toml');
    expect(clone.read('recipes/b.toml')).toBe(FILES['recipes/b.toml']);
    expect(clone.git('rev-parse', `${legacy}^`).trim()).toHaveLength(40); // its parent was fetched
  });
});

describe('a legacy commit on the boundary of a shallow clone', () => {
  it('is found by status, and its rollback is refused with SHALLOW_CLONE (its parent is missing)', async () => {
    const origin = gitRepo(FILES);
    cleanups.push(() => removeRepo(origin));
    origin.write('recipes/b.toml', 'changed\n');
    const legacy = origin.commitAll('registry batch\n\nbatch_id: 2025-03-14');
    origin.write('README.md', 'registry, later\n');
    origin.commitAll('a later, unrelated commit');
    const shallow = shallowClone(origin, { depth: 2, tags: false });
    cleanups.push(() => shallow.cleanup());
    const before = shallow.clone.snapshot();
    const engine = await engineOn(shallow.clone);
    expect(await engine.legacy({ id: '2025-03-14' })).toMatchObject({ commit: legacy });
    await expect(engine.rollback('2025-03-14', { legacy: {}, dryRun: true })).rejects.toMatchObject({ code: 'SHALLOW_CLONE' });
    expect(shallow.clone.snapshot()).toBe(before);
  });
});

describe('reindex in a shallow clone', () => {
  it('refuses with SHALLOW_CLONE, and with fetch rebuilds every batch from the whole history', async () => {
    const { clone, id } = await batchThenClone({ depth: 1, tags: true });
    const engine = await engineOn(clone);
    await expect(engine.reindex()).rejects.toMatchObject({ code: 'SHALLOW_CLONE' });
    const report = await engine.reindex({ fetch: true });
    expect(report.inserted).toBe(1);
    expect(engine.status(id).items.map((i) => i.target_path)).toEqual(['recipes/a.toml', 'recipes/new.toml']);
    expect(clone.git('rev-parse', '--is-shallow-repository').trim()).toBe('false');
  });
});

describe('the manual-breaker audit in a shallow clone', () => {
  it('does not invent a breaker change from the missing parent of the boundary commit', async () => {
    const origin = gitRepo({ 'r/a.txt': 'v1\n' });
    cleanups.push(() => removeRepo(origin));
    const control = JSON.parse(origin.read('batch-control.json')) as Record<string, unknown> & { policy: Record<string, unknown> };
    control.policy.circuit_breaker = { failure_threshold: 1, recovery_minutes: 60, min_success_rate: 0, window: 10, half_open_probes: 1 };
    origin.write('batch-control.json', JSON.stringify(control, null, 2));
    origin.commitAll('policy');
    const engine = await engineOn(origin);
    const failed = await engine.run(batch({ operations: [{ type: 'replace', target: 'r/a.txt', find: 'absent', replace: 'x' }] }));
    expect(failed.status).toBe('failed');
    expect(JSON.parse(origin.read('batch-control.json')).circuit_breaker.npm.state).toBe('open');
    origin.write('r/b.txt', 'by hand\n');
    origin.commitAll('an unrelated hand commit');

    const shallow = shallowClone(origin, { depth: 1, tags: true });
    cleanups.push(() => shallow.cleanup());
    const { clone } = shallow;
    const cloned = await engineOn(clone);
    await cloned.run(batch({ ecosystem: 'pypi', operations: [{ type: 'write', target: 'r/c.txt', content: 'c\n' }] }));
    expect(cloned.events({ limit: 100 }).filter((e) => e.type === 'breaker_changed')).toEqual([]);
  });
});

describe('a revert wider than its batch', () => {
  it('is refused with ROLLBACK_UNSAFE, in a dry run too, and changes nothing', async () => {
    const repo = gitRepo(FILES);
    cleanups.push(() => removeRepo(repo));
    // A commit that passes verification (complete trailers, its tag) but changed three paths for one operation.
    const id = 'b-20261122-101500-7k3m9q';
    repo.write('recipes/a.toml', 'changed\n');
    repo.write('recipes/b.toml', 'changed\n');
    repo.write('recipes/c.toml', 'changed\n');
    repo.commitAll(
      `one operation\n\n1 written; 0 failed\n\nBatch-Id: ${id}\nBatch-Ecosystem: npm\nBatch-Operations: 1\nBatch-Failed: 0\nBatch-Requested-By: x`,
    );
    repo.git('tag', '-a', '-m', 'batch', `batch/${id}`);
    const before = repo.snapshot();
    const engine = await engineOn(repo);
    await expect(engine.rollback(id, { dryRun: true })).rejects.toMatchObject({ code: 'ROLLBACK_UNSAFE', exitCode: 2 });
    await expect(engine.rollback(id)).rejects.toMatchObject({ code: 'ROLLBACK_UNSAFE' });
    expect(repo.snapshot()).toBe(before);
  });
});

describe('who ran a rollback', () => {
  it("records requestedBy, else the engine's actor, as Batch-Requested-By", async () => {
    const repo = gitRepo(FILES);
    cleanups.push(() => removeRepo(repo));
    const engine = await engineOn(repo, { GITHUB_ACTOR: 'octocat' });
    const one = await engine.run(batch({ operations: [{ type: 'write', target: 'x.txt', content: 'x' }] }));
    const two = await engine.run(batch({ operations: [{ type: 'write', target: 'y.txt', content: 'y' }] }));
    await engine.rollback(two.batch_id, { requestedBy: 'alice' });
    expect(repo.git('log', '-1', '--format=%(trailers:key=Batch-Requested-By,valueonly)').trim()).toBe('alice');
    await engine.rollback(one.batch_id);
    expect(repo.git('log', '-1', '--format=%(trailers:key=Batch-Requested-By,valueonly)').trim()).toBe('octocat');
  });
});
