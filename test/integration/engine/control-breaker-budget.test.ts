// Circuit breaker and weekly budget through the real engine (docs/control-file.md, issue 4), on a clock the test
// moves: state lives in batch-control.json and is committed with Control-Change trailers.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { afterEach, describe, expect, it } from 'vitest';

import type { Engine } from '../../../controller/engine/index.js';
import { batch, engineFor } from '../../helpers/engine.js';
import { gitRepo, removeRepo, type TestRepo } from '../../helpers/git-repo.js';

const opened: Array<{ repo: TestRepo; engine: Engine }> = [];
afterEach(() => {
  for (const { repo, engine } of opened.splice(0)) {
    engine.close();
    removeRepo(repo);
  }
});

/** A repository whose control policy is edited by `policy`, and an engine on a movable clock. */
async function setup(policy: (p: Record<string, any>) => void) {
  // eslint-disable-line @typescript-eslint/no-explicit-any -- test fixture JSON
  const repo = gitRepo({ 'r/a.txt': 'v1\n' });
  const file = join(repo.dir, 'batch-control.json');
  const control = JSON.parse(readFileSync(file, 'utf8')) as { policy: Record<string, unknown> };
  policy(control.policy);
  writeFileSync(file, JSON.stringify(control, null, 2));
  repo.commitAll('policy for the test');
  const clock = { now: new Date('2026-11-23T10:00:00Z') }; // a Monday
  const engine = await engineFor(repo, {}, () => clock.now);
  opened.push({ repo, engine });
  const control$ = (): Record<string, any> => JSON.parse(readFileSync(file, 'utf8')) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- test fixture JSON
  const later = (minutes: number): void => {
    clock.now = new Date(clock.now.getTime() + minutes * 60_000);
  };
  return { repo, engine, control: control$, later };
}

const failing = (ecosystem = 'npm') =>
  batch({
    ecosystem,
    options: { atomic: true },
    operations: [
      { type: 'write', target: 'ok.txt', content: 'x' },
      { type: 'replace', target: 'r/a.txt', find: 'absent', replace: 'y' },
    ],
  });
const passing = (name: string, ecosystem = 'npm', extra: Record<string, unknown> = {}) =>
  batch({ ecosystem, ...extra, operations: [{ type: 'write', target: `out/${name}.txt`, content: name }] });

describe('circuit breaker', () => {
  it('opens after consecutive failures, refuses until opens_at, re-opens on a failed probe, closes on a good one', async () => {
    const { repo, engine, control, later } = await setup((p) => {
      p.circuit_breaker = { failure_threshold: 2, recovery_minutes: 60, min_success_rate: 0, window: 10, half_open_probes: 1 };
    });
    expect((await engine.run(failing())).status).toBe('failed');
    expect(control().circuit_breaker.npm).toMatchObject({ state: 'closed', failures: 1 });
    expect((await engine.run(failing())).status).toBe('failed');
    expect(control().circuit_breaker.npm).toMatchObject({ state: 'open', failures: 2, opens_at: '2026-11-23T11:00:00.000Z' });
    expect(repo.git('log', '-1', '--format=%(trailers:key=Control-Change,valueonly,separator=%x2C)').trim()).toBe('budget,breaker');
    expect(repo.git('log', '-1', '--format=%B')).toContain('Breaker npm: closed → open');

    later(30);
    const head = repo.head();
    const refused = await engine.run(passing('a'));
    expect(refused).toMatchObject({ status: 'refused', reason: { code: 'BREAKER_OPEN' } });
    expect(refused.reason?.message).toContain('half-open at 2026-11-23T11:00:00.000Z');
    expect(repo.head()).toBe(head); // a refusal is not a failure: nothing recorded
    expect((await engine.run(passing('other', 'pypi'))).status).toBe('completed'); // other ecosystems run

    later(31); // past opens_at: half-open, one probe
    expect((await engine.run(failing())).status).toBe('failed');
    expect(control().circuit_breaker.npm).toMatchObject({ state: 'open', opens_at: '2026-11-23T12:01:00.000Z' });
    later(61);
    expect((await engine.run(passing('probe'))).status).toBe('completed');
    expect(control().circuit_breaker.npm).toMatchObject({ state: 'closed', failures: 0, opens_at: '' });

    const transitions = engine
      .events({ limit: 100 })
      .filter((e) => e.type === 'breaker_changed')
      .map((e) => `${e.data.from}→${e.data.to}`);
    expect(transitions).toEqual(['closed→open', 'half-open→open', 'half-open→closed']);
  });
});

describe('a breaker changed by hand', () => {
  it('is obeyed, and recorded once as a breaker_changed audit event with the commit author', async () => {
    const { repo, engine, control } = await setup((p) => {
      p.circuit_breaker = { failure_threshold: 1, recovery_minutes: 60, min_success_rate: 0, window: 10, half_open_probes: 1 };
    });
    expect((await engine.run(failing())).status).toBe('failed');
    expect(control().circuit_breaker.npm.state).toBe('open');
    const edited = control();
    edited.circuit_breaker.npm.state = 'closed';
    writeFileSync(join(repo.dir, 'batch-control.json'), JSON.stringify(edited, null, 2));
    const commit = repo.commitAll('close the npm breaker: the generator is fixed');

    expect((await engine.run(passing('after-fix'))).status).toBe('completed');
    expect((await engine.run(passing('again'))).status).toBe('completed');
    const manual = engine.events({ limit: 100 }).filter((e) => e.type === 'breaker_changed' && e.data.manual === true);
    expect(manual.map((e) => e.data)).toEqual([
      {
        ecosystem: 'npm',
        from: 'open',
        to: 'closed',
        manual: true,
        why: 'changed by hand in batch-control.json',
        author: 'Test User <test@example.com>',
        commit,
      },
    ]);
  });
});

describe('weekly budget', () => {
  it('charges operations, samples above sample_above, pauses at pause_above, and rolls over on Monday', async () => {
    const { engine, control, later } = await setup((p) => {
      p.budget = { limits: { operations: 10 }, sample_above: 0.5, sample_rate: 0, pause_above: 0.9 };
    });
    const six = batch({ operations: Array.from({ length: 6 }, (_, i) => ({ type: 'write', target: `six/${i}.txt`, content: 'x' })) });
    expect((await engine.run(six)).status).toBe('completed');
    expect(control().budget).toMatchObject({ week_start: '2026-11-23T00:00:00Z', operations_used: 6, sampling_active: true });

    const sampledOut = await engine.run(passing('low'));
    expect(sampledOut).toMatchObject({ status: 'refused', reason: { code: 'BUDGET_EXHAUSTED' } });
    expect(sampledOut.reason?.message).toContain('operations 6 of 10');
    expect(sampledOut.reason?.message).toContain('resets at 2026-11-30T00:00:00.000Z');

    const urgent = batch({
      options: { priority: 8, cost: { operations: 3 } },
      operations: [{ type: 'write', target: 'urgent.txt', content: 'u' }],
    });
    expect((await engine.run(urgent)).status).toBe('completed');
    expect(control().budget.operations_used).toBe(9);
    const paused = await engine.run(passing('even-urgent', 'npm', { options: { priority: 9 } }));
    expect(paused).toMatchObject({ status: 'refused', reason: { code: 'BUDGET_EXHAUSTED' } });
    expect(paused.reason?.message).toContain('paused');

    later(7 * 24 * 60); // next Monday
    expect((await engine.run(passing('new-week'))).status).toBe('completed');
    expect(control().budget).toMatchObject({ week_start: '2026-11-30T00:00:00Z', operations_used: 1, sampling_active: false });
  });
});

describe('control status and SLIs', () => {
  it('reports stop, breakers with time to half-open, budget use and reset, and SLIs with severity', async () => {
    const { engine, later } = await setup((p) => {
      p.circuit_breaker = { failure_threshold: 1, recovery_minutes: 30, min_success_rate: 0, window: 10, half_open_probes: 1 };
      p.slo = { default: 0.98, pypi: 0.5 };
    });
    for (const name of ['a', 'b', 'c']) expect((await engine.run(passing(name))).status).toBe('completed');
    expect((await engine.run(failing())).status).toBe('failed'); // npm: 3 of 4, and its breaker opens
    expect((await engine.run(failing('pypi'))).status).toBe('failed'); // pypi: 0 of 1
    later(10);
    await engine.stop({ reason: 'look at npm', ecosystem: 'npm', by: 'alice' });

    const status = await engine.controlStatus();
    expect(status.stop).toMatchObject({ enabled: true, disabled_ecosystems: ['npm'], reason: 'look at npm', disabled_by: 'alice' });
    expect(status.breakers.find((b) => b.ecosystem === 'npm')).toMatchObject({
      state: 'open',
      effective_state: 'open',
      half_open_in_seconds: 20 * 60,
    });
    expect(status.budget).toMatchObject({ mode: 'normal', week_start: '2026-11-23T00:00:00.000Z', resets_at: '2026-11-30T00:00:00.000Z' });
    expect(status.budget.units.find((u) => u.unit === 'operations')).toMatchObject({ used: 3 + 2 + 2 });
    // the atomic failure's good operation was reverted: it does not count as a success
    expect(status.slis.ecosystems).toMatchObject([
      {
        ecosystem: 'npm',
        batches: 4,
        batch_success_rate: 0.75,
        operations: 3 + 1,
        operation_success_rate: 0.75,
        rollbacks: 0,
        slo: 0.98,
        severity: 'warning',
      },
      { ecosystem: 'pypi', batches: 1, batch_success_rate: 0, slo: 0.5, severity: 'critical' },
    ]);
    expect(status.slis.ecosystems[0]?.p95_ms).toBeGreaterThanOrEqual(status.slis.ecosystems[0]?.p50_ms ?? 0);
  });
});
