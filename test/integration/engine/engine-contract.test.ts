// The engine as every facade meets it (issue 9 A1, A2, A5, A6, A9): it owns dry run, requested_by,
// document parsing and the plan hash; listeners cannot hurt a batch; close() stops work cleanly;
// refusals and rollbacks never count against an ecosystem's SLI.
import { existsSync } from 'node:fs';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { openEngine } from '../../../controller/app/index.js';
import { batch, useEngineRepos } from '../../helpers/engine.js';
import { gitRepo, removeRepo } from '../../helpers/git-repo.js';

const setup = useEngineRepos();

const FILES = { 'recipes/a.toml': 'version = "1.0.0"\n', 'templates/x.toml': 'name = "x"\n' };
const doc = (extra: Record<string, unknown> = {}) => ({
  title: 'bump',
  ecosystem: 'npm',
  operations: [
    { type: 'replace' as const, target: 'recipes/*.toml', find: '1.0.0', replace: '1.0.1' },
    { type: 'copy' as const, source: 'templates/x.toml', target: 'recipes/x.toml' },
  ],
  ...extra,
});

describe('the engine owns batch semantics', () => {
  it("honours the document's own options.dry_run: nothing is applied or committed", async () => {
    const { repo, engine } = await setup(FILES);
    repo.commitAll('seed');
    const before = repo.snapshot();
    const result = await engine.run({ document: JSON.stringify(doc({ options: { dry_run: true } })) });
    expect(result.status).toBe('planned');
    expect(result.commit).toBeNull();
    expect(result.validation?.plan?.length).toBe(2);
    expect(repo.snapshot()).toBe(before);
  });

  it('parses documents itself: JSON text, an NDJSON stream detected by its header, a JSON value', async () => {
    const { repo, engine } = await setup(FILES);
    repo.commitAll('seed');
    const { operations, ...header } = doc();
    const lines = [JSON.stringify(header), ...operations.map((op) => JSON.stringify(op))].join('\n');
    async function* chunks(): AsyncGenerator<Uint8Array> {
      const bytes = Buffer.from(lines);
      for (let i = 0; i < bytes.length; i += 7) yield bytes.subarray(i, i + 7); // split inside lines
    }
    const parsed = await engine.parse({ document: chunks() });
    expect(parsed.operations).toHaveLength(2);
    expect(parsed.title).toBe('bump');
    const fromValue = await engine.parse({ document: doc() });
    expect(fromValue.operations).toEqual(parsed.operations);
    expect((await engine.run({ document: chunks() })).status).toBe('completed');
    expect(repo.read('recipes/x.toml')).toBe('name = "x"\n');
  });

  it('refuses a document that is not a batch with INPUT_INVALID naming the line, touching nothing', async () => {
    const { repo, engine } = await setup(FILES);
    repo.commitAll('seed');
    const before = repo.snapshot();
    const text = `${JSON.stringify({ title: 'x' })}\n{"type":"write","target":"a"}\n`;
    await expect(engine.run({ document: text, name: 'b.ndjson' })).rejects.toMatchObject({ code: 'INPUT_INVALID', data: { line: 2 } });
    expect(repo.snapshot()).toBe(before);
    expect(engine.list({ limit: 10 })).toEqual([]);
  });

  it("fills requested_by (and a stop's author) from the caller's identity, then the process actor, never over the document's own", async () => {
    const repo = gitRepo(FILES);
    repo.commitAll('seed');
    const engine = await openEngine({
      repo: repo.dir,
      env: {
        BATCHCTL_LOG_LEVEL: 'silent',
        BATCHCTL_AUTHOR_NAME: 'batchctl',
        BATCHCTL_AUTHOR_EMAIL: 'b@localhost',
        GITHUB_ACTOR: 'octocat',
      },
    });
    try {
      const write = (name: string, extra: Record<string, unknown> = {}) => ({
        document: { operations: [{ type: 'write', target: `out/${name}`, content: name }], ...extra },
      });
      const byActor = await engine.run(write('a'));
      const byIdentity = await engine.run(write('b'), { identity: 'token:deploy-bot' });
      const byDocument = await engine.run(write('c', { requested_by: 'generator' }), { identity: 'token:deploy-bot' });
      expect(engine.status(byActor.batch_id).batch.requested_by).toBe('octocat');
      expect(engine.status(byIdentity.batch_id).batch.requested_by).toBe('token:deploy-bot');
      expect(engine.status(byDocument.batch_id).batch.requested_by).toBe('generator');
      expect(repo.git('log', '-1', '--format=%(trailers:key=Batch-Requested-By,valueonly)').trim()).toBe('generator');
      // The same actor stops and resumes when the caller names no one.
      await engine.stop({ reason: 'incident' });
      expect(JSON.parse(repo.read('batch-control.json'))).toMatchObject({ enabled: false, disabled_by: 'octocat' });
    } finally {
      await engine.close();
      removeRepo(repo);
    }
  });

  it('gives one plan hash for validate, a dry run and a run, whoever asks and however', async () => {
    const { repo, engine } = await setup(FILES);
    repo.commitAll('seed');
    const validated = await engine.validate(batch(doc()));
    const dry = await engine.run({
      document: doc({ requested_by: 'someone-else', options: { dry_run: true, idempotency_key: 'k1', priority: 7 } }),
    });
    expect(dry.validation?.plan_hash).toBe(validated.plan_hash);
    const run = await engine.run(batch(doc()), { planHash: dry.validation?.plan_hash ?? '', identity: 'another-caller' });
    expect(run.status).toBe('completed');
  });

  it('changes the plan hash when what lands changes (an operation, atomic)', async () => {
    const { repo, engine } = await setup(FILES);
    repo.commitAll('seed');
    const base = (await engine.validate(batch(doc()))).plan_hash;
    expect((await engine.validate(batch(doc({ options: { atomic: true } })))).plan_hash).not.toBe(base);
    expect((await engine.validate(batch(doc({ title: 'other title' })))).plan_hash).not.toBe(base);
  });
});

describe('listeners are guests', () => {
  it('a listener that throws, rejects or never settles changes neither the outcome nor the commit', async () => {
    const { repo, engine } = await setup(FILES);
    repo.commitAll('seed');
    const seen: string[] = [];
    engine.on(() => {
      throw new Error('broken subscriber');
    });
    engine.on(async () => {
      throw new Error('broken async subscriber');
    });
    engine.on(() => new Promise<void>(() => undefined)); // a subscriber that never finishes
    engine.on((event) => void seen.push(event.type));
    const result = await engine.run(batch(doc()));
    expect(result.status).toBe('completed');
    expect(result.commit).toBe(repo.head());
    expect(seen).toContain('batch_complete');
  });
});

describe('close()', () => {
  it('stops a running batch after its current operation, records it cancelled, and clears the journal', async () => {
    const repo = gitRepo(Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`f/${i}.txt`, `v${i}\n`])));
    repo.commitAll('seed');
    const engine = await openEngine({
      repo: repo.dir,
      db: join(repo.dir, '.git', 'close-test.db'),
      env: { BATCHCTL_LOG_LEVEL: 'silent', BATCHCTL_AUTHOR_NAME: 'batchctl', BATCHCTL_AUTHOR_EMAIL: 'b@localhost' },
    });
    try {
      const before = repo.snapshot();
      let closing: Promise<void> | null = null;
      engine.on((event) => {
        if (event.type === 'batch_progress' && closing === null) closing = engine.close();
      });
      const result = await engine.run(
        batch({
          options: { concurrency: 1 },
          operations: Array.from({ length: 40 }, (_, i) => ({ type: 'write' as const, target: `f/${i}.txt`, content: `new ${i}\n` })),
        }),
      );
      await closing;
      expect(result).toMatchObject({ status: 'cancelled', reason: { code: 'CANCELLED' }, commit: null });
      expect(repo.snapshot()).toBe(before);
      expect(existsSync(join(repo.dir, '.git', 'batchctl', 'journal.json'))).toBe(false);
      await expect(engine.run(batch(doc()))).rejects.toMatchObject({ code: 'ENGINE_CLOSED' });
    } finally {
      await engine.close();
    }
    const reopened = await openEngine({
      repo: repo.dir,
      db: join(repo.dir, '.git', 'close-test.db'),
      env: { BATCHCTL_LOG_LEVEL: 'silent', BATCHCTL_AUTHOR_NAME: 'batchctl', BATCHCTL_AUTHOR_EMAIL: 'b@localhost' },
    });
    try {
      expect(reopened.list({ limit: 5 }).map((row) => row.status)).toEqual(['cancelled']);
    } finally {
      await reopened.close();
      removeRepo(repo);
    }
  });
});

describe('refusals and rollbacks are not service failures', () => {
  it('a batch validation or --plan-hash turns away is refused, and the SLI stays ok', async () => {
    const { repo, engine } = await setup(FILES);
    repo.commitAll('seed');
    const invalid = await engine.run(batch({ operations: [{ type: 'write', target: '../escape', content: 'x' }] }));
    expect(invalid).toMatchObject({ status: 'refused', reason: { code: 'VALIDATION_FAILED' } });
    const stale = await engine.run(batch(doc()), { planHash: `sha256:${'0'.repeat(64)}` });
    expect(stale).toMatchObject({ status: 'refused', reason: { code: 'PLAN_HASH_MISMATCH', hint: expect.any(String) } });
    expect((await engine.run(batch(doc()))).status).toBe('completed');
    const npm = (await engine.controlStatus()).slis.ecosystems.find((e) => e.ecosystem === 'npm');
    expect(npm).toMatchObject({ batches: 1, batch_success_rate: 1, severity: 'ok' });
    expect(JSON.parse(repo.read('batch-control.json')).circuit_breaker?.npm ?? { failures: 0 }).toMatchObject({ failures: 0 });
  });

  it("frees a refused batch's idempotency key: the same batch runs once the stop is lifted", async () => {
    const { repo, engine } = await setup(FILES);
    repo.commitAll('seed');
    await engine.stop({ reason: 'incident' });
    const keyed = () => batch(doc({ options: { idempotency_key: 'gen-run-1' } }));
    expect((await engine.run(keyed())).status).toBe('refused');
    await engine.resume({});
    const ran = await engine.run(keyed());
    expect(ran).toMatchObject({ status: 'completed' });
    expect(ran.idempotent_replay).toBeUndefined();
    expect(await engine.run(keyed())).toMatchObject({ batch_id: ran.batch_id, idempotent_replay: true });
  });

  it('a rollback is left out of the SLI whoever asked for it', async () => {
    const { repo, engine } = await setup(FILES);
    repo.commitAll('seed');
    const done = await engine.run(batch(doc()));
    const rolled = await engine.rollback(done.batch_id, {});
    expect(rolled).toMatchObject({ success: true, status: 'completed' });
    expect(engine.status(rolled.rollback_batch_id ?? '').batch.source).toBe('rollback');
    const npm = (await engine.controlStatus()).slis.ecosystems.find((e) => e.ecosystem === 'npm');
    expect(npm).toMatchObject({ batches: 1 });
  });
});

describe('events', () => {
  it('a rollback with nothing to revert says so without a rollback_started that never completes', async () => {
    const { repo, engine } = await setup(FILES);
    repo.commitAll('seed');
    const first = await engine.run(batch({ operations: [{ type: 'write', target: 'recipes/a.toml', content: 'changed\n' }] }));
    await engine.run(batch({ operations: [{ type: 'write', target: 'recipes/a.toml', content: FILES['recipes/a.toml'] }] }));
    const types: string[] = [];
    engine.on((event) => void types.push(event.type));
    const rolled = await engine.rollback(first.batch_id, {});
    expect(rolled.reason?.code).toBe('NOTHING_TO_REVERT');
    expect(types.filter((t) => t.startsWith('rollback_'))).toEqual([]);
  });
});
