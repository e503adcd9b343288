import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { batch, useEngineRepos } from '../../helpers/engine.js';

const setup = useEngineRepos();

describe('idempotency, dry runs and plan hashes', () => {
  it('returns the earlier batch for an idempotency key it has seen, without running again', async () => {
    const { repo, engine } = await setup();
    const doc = batch({ operations: [{ type: 'write', target: 'a.txt', content: '1' }], options: { idempotency_key: 'gen-run-8812' } });
    const first = await engine.run(doc);
    const head = repo.head();
    const second = await engine.run(
      batch({ operations: [{ type: 'write', target: 'b.txt', content: '2' }], options: { idempotency_key: 'gen-run-8812' } }),
    );
    expect(second).toMatchObject({ batch_id: first.batch_id, commit: first.commit, status: 'completed', idempotent_replay: true });
    expect(repo.head()).toBe(head);
    expect(engine.list({ limit: 10 })).toHaveLength(1);
  });

  it('changes nothing on a dry run and describes each step', async () => {
    const { repo, engine } = await setup({ 'a.txt': 'old' });
    const before = repo.snapshot();
    const result = await engine.run(batch({ operations: [{ type: 'write', target: 'a.txt', content: 'new' }] }), { dryRun: true });
    expect(result.status).toBe('planned');
    expect(repo.snapshot()).toBe(before);
    expect(engine.list({ limit: 10 })).toHaveLength(0);
    const validation = await engine.validate(batch({ operations: [{ type: 'write', target: 'a.txt', content: 'new' }] }));
    expect(validation.plan?.[0]?.action).toBe('write a.txt (overwrites), 3 bytes');
    expect(validation.warnings.map((w) => w.code)).toEqual(['OVERWRITE']);
  });

  it('refuses to run with a plan hash the repository no longer yields', async () => {
    const { repo, engine } = await setup({ 'a.txt': 'v1' });
    const doc = batch({ operations: [{ type: 'replace', target: 'a.txt', find: 'v', replace: 'w' }] });
    const { plan_hash } = await engine.validate(doc);
    repo.write('a.txt', 'v2');
    repo.commitAll('someone else changed a.txt');
    const before = repo.snapshot();
    const result = await engine.run(doc, { planHash: plan_hash });
    expect(result).toMatchObject({ status: 'refused', reason: { code: 'PLAN_HASH_MISMATCH' } });
    expect(repo.snapshot()).toBe(before);
    const fresh = await engine.validate(doc);
    expect((await engine.run(doc, { planHash: fresh.plan_hash })).status).toBe('completed');
  });
});

describe('the control file', () => {
  it.each([
    ['missing', null, ''],
    ['unreadable (a directory)', 'DIR', 'EISDIR'],
    ['not JSON', '{"enabled": tru', 'not valid JSON'],
    ['of a wrong type', '{"enabled": "yes"}', 'field "enabled"'],
    [
      'with a negative limit',
      '{"enabled": true, "policy": {"limits": {"max_operations_per_batch": -1}}}',
      'field "policy.limits.max_operations_per_batch"',
    ],
    [
      'with an unknown breaker state',
      '{"enabled": true, "circuit_breaker": {"npm": {"state": "ajar"}}}',
      'circuit_breaker.npm.state', // the batch's own ecosystem (npm); the others run (control-interop.test.ts)
    ],
    ['with a date that does not parse', '{"enabled": true, "expected_resume": "next tuesday"}', 'field "expected_resume"'],
    ['emergency stop on', '{"enabled": false, "reason": "bad recipes", "disabled_by": "ops"}', 'bad recipes'],
  ])('refuses every batch when the control file is %s, naming the file and the problem', async (_name, content, problem) => {
    const { repo, engine } = await setup();
    if (content === null || content === 'DIR') repo.git('rm', '-q', 'batch-control.json');
    if (content === 'DIR') mkdirSync(join(repo.dir, 'batch-control.json', 'oops'), { recursive: true });
    else if (content !== null) writeFileSync(join(repo.dir, 'batch-control.json'), content);
    repo.commitAll('control change');
    const before = repo.snapshot();
    const result = await engine.run(batch({ operations: [{ type: 'write', target: 'a.txt', content: '1' }] }));
    expect(result.status).toBe('refused');
    expect(result.reason?.code).toBe(content?.includes('"enabled": false') ? 'EMERGENCY_STOP' : 'CONTROL_FILE_INVALID');
    expect(result.reason?.message).toContain('batch-control.json');
    expect(result.reason?.message).toContain(problem);
    expect(repo.snapshot()).toBe(before);
    expect(engine.status(result.batch_id).batch.status).toBe('refused');
  });

  it('refuses a batch of a disabled ecosystem and admits the others', async () => {
    const { repo, engine } = await setup();
    writeFileSync(join(repo.dir, 'batch-control.json'), JSON.stringify({ enabled: true, disabled_ecosystems: ['npm'] }));
    repo.commitAll('pause npm');
    expect((await engine.run(batch({ ecosystem: 'npm', operations: [{ type: 'write', target: 'a', content: '' }] }))).reason?.code).toBe(
      'ECOSYSTEM_DISABLED',
    );
    expect((await engine.run(batch({ ecosystem: 'pypi', operations: [{ type: 'write', target: 'a', content: '' }] }))).status).toBe(
      'completed',
    );
  });

  it('reads its concurrency cap and failure threshold from policy.limits', async () => {
    const { repo, engine } = await setup({ 'r.txt': 'x' });
    writeFileSync(
      join(repo.dir, 'batch-control.json'),
      JSON.stringify({ enabled: true, policy: { limits: { auto_rollback_failure_rate: 0.5 } } }),
    );
    repo.commitAll('lenient policy');
    const result = await engine.run(
      batch({
        operations: [
          { type: 'write', target: 'a', content: '' },
          { type: 'replace', target: 'r.txt', find: 'absent', replace: '' },
        ],
      }),
    );
    expect(result).toMatchObject({ status: 'completed', failure_count: 1 });
  });

  it('writes a default control file with init and leaves an existing one alone', async () => {
    const { repo, engine } = await setup({}, { control: false });
    expect((await engine.init()).created).toBe(true);
    const written = repo.read('batch-control.json');
    expect(JSON.parse(written)).toMatchObject({ enabled: true, policy: { limits: { max_operations_per_batch: 10000 } } });
    expect((await engine.init()).created).toBe(false);
    expect(repo.read('batch-control.json')).toBe(written);
  });
});
