// A batch whose operations name other ecosystems (docs/batch-format.md#multi-ecosystem-batches): preflight
// judges every ecosystem it touches, each one's outcome feeds its own breaker and SLIs, the trailer lists them all.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { afterEach, describe, expect, it } from 'vitest';

import { openEngine } from '../../../controller/app/index.js';
import { withPolicy } from '../../helpers/control-policy.js';
import { batch, useEngineRepos } from '../../helpers/engine.js';
import type { TestRepo } from '../../helpers/git-repo.js';
import { divergeFromRemote } from '../../helpers/diverged-remote.js';

const setup = useEngineRepos();
const cleanupDirs: string[] = [];
afterEach(() => {
  for (const dir of cleanupDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const mixed = (extra: Record<string, unknown> = {}) =>
  batch({
    ecosystem: 'npm',
    ...extra,
    operations: [
      { type: 'write', target: 'npm/a.txt', content: 'a' },
      { type: 'write', target: 'pypi/b.txt', content: 'b', ecosystem: 'pypi' },
    ],
  });

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- test fixture JSON
const breakers = (repo: TestRepo): Record<string, any> =>
  (JSON.parse(readFileSync(join(repo.dir, 'batch-control.json'), 'utf8')) as { circuit_breaker: Record<string, unknown> }).circuit_breaker;

describe('multi-ecosystem batches', () => {
  it('commits with every ecosystem in the trailer, the batch’s own first, and feeds each breaker a success', async () => {
    const { repo, engine } = await setup({});
    const result = await engine.run(
      batch({
        ecosystem: 'pypi',
        operations: [
          { type: 'write', target: 'x.txt', content: 'x', ecosystem: 'rubygems' },
          { type: 'write', target: 'y.txt', content: 'y', ecosystem: 'npm' },
          { type: 'write', target: 'z.txt', content: 'z' },
        ],
      }),
    );
    expect(result.status).toBe('completed');
    expect(repo.git('log', '-1', `--format=%(trailers:key=Batch-Ecosystem,valueonly)`, result.commit ?? 'HEAD').trim()).toBe(
      'pypi, npm, rubygems',
    );
    expect(Object.keys(breakers(repo)).sort()).toEqual(['npm', 'pypi', 'rubygems']);
    const two = await engine.run(mixed());
    expect(repo.git('log', '-1', `--format=%(trailers:key=Batch-Ecosystem,valueonly)`, two.commit ?? 'HEAD').trim()).toBe('npm, pypi');
  });

  it('rolls a multi-ecosystem batch back as one revert in the batch’s own ecosystem', async () => {
    const { repo, engine } = await setup({});
    const ran = await engine.run(mixed());
    expect(ran.status).toBe('completed');
    const rolled = await engine.rollback(ran.batch_id, {});
    expect(rolled).toMatchObject({ success: true, status: 'completed' });
    expect(engine.status(rolled.rollback_batch_id ?? '').batch.ecosystem).toBe('npm');
    expect(repo.git('ls-files', 'npm', 'pypi').trim()).toBe('');
  });

  it("a retry keeps each operation's ecosystem", async () => {
    const { repo, engine } = await setup({ 'r.txt': 'v1\n' });
    repo.commitAll('seed');
    const failed = await engine.run(
      batch({
        ecosystem: 'npm',
        options: { atomic: true },
        operations: [
          { type: 'write', target: 'pypi/b.txt', content: 'b', ecosystem: 'pypi' },
          { type: 'replace', target: 'r.txt', find: 'v2', replace: 'v3' },
        ],
      }),
    );
    expect(failed.status).toBe('failed');
    repo.write('r.txt', 'v2\n');
    repo.commitAll('the fix the replace waited for');
    const retried = await engine.retry(failed.batch_id);
    expect(retried.status).toBe('completed');
    expect(repo.git('log', '-1', `--format=%(trailers:key=Batch-Ecosystem,valueonly)`, retried.commit ?? 'HEAD').trim()).toBe('npm, pypi');
  });

  it('halts while running when a stop of another ecosystem it touches lands', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 20; i++) files[`pkg/${i}.txt`] = `v1 ${i}\n`;
    const { repo, engine } = await setup(files);
    repo.commitAll('seed');
    const controlFile = join(repo.dir, 'batch-control.json');
    engine.on((event) => {
      if (event.type !== 'batch_progress' || (event.data as { completed: number }).completed !== 3) return;
      const control = JSON.parse(readFileSync(controlFile, 'utf8')) as Record<string, unknown>;
      writeFileSync(controlFile, JSON.stringify({ ...control, disabled_ecosystems: ['pypi'], reason: 'pypi outage' }, null, 2));
    });
    const result = await engine.run(
      batch({
        ecosystem: 'npm',
        options: { concurrency: 1 },
        operations: Object.keys(files).map((target, i) => ({
          type: 'write' as const,
          target,
          content: 'v2\n',
          ...(i === 19 ? { ecosystem: 'pypi' } : {}),
        })),
      }),
    );
    expect(result).toMatchObject({ status: 'cancelled', commit: null, reason: { code: 'EMERGENCY_STOP' } });
    expect(result.reason?.message).toContain('pypi');
  });

  it('refuses the whole batch when one ecosystem it touches is stopped, and changes nothing', async () => {
    const { repo, engine } = await setup({});
    await engine.stop({ reason: 'pypi outage', ecosystem: 'pypi', by: 'alice' });
    const head = repo.head();
    const result = await engine.run(mixed());
    expect(result).toMatchObject({ status: 'refused', reason: { code: 'ECOSYSTEM_DISABLED' } });
    expect(result.reason?.message).toContain('"pypi"');
    expect(repo.head()).toBe(head);
    expect(existsSync(join(repo.dir, 'npm/a.txt'))).toBe(false);
  });

  it('refuses it when the breaker of one ecosystem it touches is open', async () => {
    const { repo, engine } = await setup({ 'r.txt': 'v1\n' });
    withPolicy(repo, (p) => {
      p.circuit_breaker = { failure_threshold: 1, recovery_minutes: 60, min_success_rate: 0, window: 10, half_open_probes: 1 };
    });
    const pypiFails = batch({
      ecosystem: 'pypi',
      options: { atomic: true },
      operations: [{ type: 'replace', target: 'r.txt', find: 'absent', replace: 'y' }],
    });
    expect((await engine.run(pypiFails)).status).toBe('failed');
    expect(breakers(repo).pypi).toMatchObject({ state: 'open' });
    const head = repo.head();
    const result = await engine.run(mixed());
    expect(result).toMatchObject({ status: 'refused', reason: { code: 'BREAKER_OPEN' } });
    expect(result.reason?.message).toContain('"pypi"');
    expect(repo.head()).toBe(head);
  });

  it('counts a failed batch as a failure of the ecosystems whose operations failed only, in breakers and SLIs', async () => {
    const { repo, engine } = await setup({ 'r.txt': 'v1\n' });
    withPolicy(repo, (p) => {
      p.circuit_breaker = { failure_threshold: 3, recovery_minutes: 60, min_success_rate: 0, window: 10, half_open_probes: 1 };
    });
    const failing = batch({
      ecosystem: 'npm',
      options: { atomic: true },
      operations: [
        { type: 'write', target: 'ok.txt', content: 'x' },
        { type: 'replace', target: 'r.txt', find: 'absent', replace: 'y', ecosystem: 'pypi' },
      ],
    });
    expect((await engine.run(failing)).status).toBe('failed');
    expect(breakers(repo).pypi).toMatchObject({ state: 'closed', failures: 1 });
    expect(breakers(repo).npm?.failures ?? 0).toBe(0); // npm's write was rolled back with the batch: not npm's failure
    expect(repo.git('log', '-1', '--format=%B')).toContain('control state after');
    expect((await engine.run(batch({ ecosystem: 'pypi', operations: [{ type: 'write', target: 'p.txt', content: 'p' }] }))).status).toBe(
      'completed',
    );
    // SLIs: the failed batch is a pypi failure and no npm sample; the pypi-only one counts for pypi.
    const { slis } = await engine.controlStatus();
    expect(slis.ecosystems.map((e) => [e.ecosystem, e.batches, e.batch_success_rate])).toEqual([['pypi', 2, 0.5]]);
  });

  it("counts each ecosystem's own operations in its SLIs", async () => {
    const { engine } = await setup({});
    const result = await engine.run(
      batch({
        ecosystem: 'npm',
        operations: [
          { type: 'write', target: 'npm/a.txt', content: 'a' },
          { type: 'write', target: 'npm/b.txt', content: 'b' },
          { type: 'write', target: 'pypi/c.txt', content: 'c', ecosystem: 'pypi' },
        ],
      }),
    );
    expect(result.status).toBe('completed');
    const { slis } = await engine.controlStatus();
    expect(slis.ecosystems.map((e) => [e.ecosystem, e.batches, e.batch_success_rate, e.operations])).toEqual([
      ['npm', 1, 1, 2],
      ['pypi', 1, 1, 1],
    ]);
  });

  it('a failure kept pending (a diverged branch) counts for the ecosystems whose operations failed', async () => {
    const { repo, engine } = await setup({ 'r.txt': 'v1\n' });
    withPolicy(repo, (p) => {
      p.circuit_breaker = { failure_threshold: 1, recovery_minutes: 60, min_success_rate: 0, window: 10, half_open_probes: 1 };
    });
    const diverged = divergeFromRemote(repo); // nothing can be published until the operator pulls
    cleanupDirs.push(...diverged.dirs);
    const failing = batch({
      ecosystem: 'npm',
      options: { atomic: true },
      operations: [
        { type: 'write', target: 'npm/ok.txt', content: 'ok' },
        { type: 'replace', target: 'r.txt', find: 'absent', replace: 'y', ecosystem: 'pypi' },
      ],
    });
    const only = (ecosystem: string, name: string) =>
      batch({ ecosystem, operations: [{ type: 'write', target: `${name}.txt`, content: name }] });
    expect((await engine.run(failing)).status).toBe('failed');
    expect((await engine.run(only('pypi', 'a'))).reason?.code).toBe('BREAKER_OPEN'); // counted in memory
    expect((await engine.run(only('npm', 'n1'))).reason?.code).not.toBe('BREAKER_OPEN');
    repo.git('pull', '-q', '--rebase'); // the operator fixes the branch
    expect((await engine.run(only('pypi', 'b'))).reason?.code).toBe('BREAKER_OPEN');
    expect(breakers(repo).pypi).toMatchObject({ state: 'open' }); // and committed
    expect(breakers(repo).npm?.state ?? 'closed').toBe('closed');
  });

  it('reindex reads the list: the batch’s ecosystem is the first one', async () => {
    const { repo, engine } = await setup({});
    const result = await engine.run(mixed());
    expect(result.status).toBe('completed');
    const fresh = await openEngine({
      repo: repo.dir,
      db: join(repo.dir, '.git', 'fresh.db'),
      env: { BATCHCTL_LOG_LEVEL: 'silent', BATCHCTL_AUTHOR_NAME: 'batchctl', BATCHCTL_AUTHOR_EMAIL: 'batchctl@localhost' },
    });
    try {
      await fresh.reindex();
      expect(fresh.status(result.batch_id).batch).toMatchObject({ ecosystem: 'npm', source: 'reindex' });
      const { slis } = await fresh.controlStatus();
      expect(slis.ecosystems.map((e) => e.ecosystem)).toEqual(['npm', 'pypi']);
    } finally {
      await fresh.close();
    }
  });
});
