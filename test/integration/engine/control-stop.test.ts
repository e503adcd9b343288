// The emergency stop (docs/control-file.md, issue 4): stop and resume edit and commit batch-control.json, keep
// every field batchctl does not know, and a stop written while a batch runs halts it.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { batch, useEngineRepos } from '../../helpers/engine.js';

const setup = useEngineRepos();
const controlOf = (dir: string): Record<string, unknown> =>
  JSON.parse(readFileSync(join(dir, 'batch-control.json'), 'utf8')) as Record<string, unknown>;
const trailers = (repo: { git(...a: string[]): string }, key: string): string =>
  repo.git('log', '-1', `--format=%(trailers:key=${key},valueonly)`).trim();

describe('batchctl stop and resume', () => {
  it('stops every batch, commits the file with Control-Change: stop, and keeps unknown fields', async () => {
    const { repo, engine } = await setup({ 'a.txt': 'a\n' });
    const control = controlOf(repo.dir);
    writeFileSync(
      join(repo.dir, 'batch-control.json'),
      JSON.stringify({ ...control, x_team_note: { owner: 'registry' }, budget: { ...(control.budget as object), x_future: 1 } }, null, 2),
    );
    repo.commitAll('operators add their own fields');

    const stopped = await engine.stop({
      reason: 'bad recipes from generator',
      by: 'alice',
      incidentUrl: 'https://status.example/42',
      expectedResume: '2026-11-24T09:00:00Z',
    });
    expect(stopped).toMatchObject({
      changed: true,
      control: { enabled: false, reason: 'bad recipes from generator', disabled_by: 'alice' },
    });
    expect(repo.head()).toBe(stopped.commit);
    expect(trailers(repo, 'Control-Change')).toBe('stop');
    expect(repo.git('log', '-1', '--format=%B')).toContain('Stopped by alice');
    expect(repo.git('show', '--name-only', '--format=', 'HEAD').trim()).toBe('batch-control.json');
    expect(repo.git('status', '--porcelain')).toBe('');
    const written = controlOf(repo.dir);
    expect(written).toMatchObject({
      enabled: false,
      incident_url: 'https://status.example/42',
      expected_resume: '2026-11-24T09:00:00Z',
      x_team_note: { owner: 'registry' },
      budget: { x_future: 1 },
    });

    const refused = await engine.run(batch({ operations: [{ type: 'write', target: 'a.txt', content: 'b\n' }] }));
    expect(refused).toMatchObject({ status: 'refused', reason: { code: 'EMERGENCY_STOP' } });
    expect(refused.reason?.message).toContain('bad recipes from generator');
    expect(repo.head()).toBe(stopped.commit);

    const resumed = await engine.resume({ by: 'bob' });
    expect(resumed.control).toMatchObject({ enabled: true, reason: '', disabled_by: '', incident_url: '' });
    expect(trailers(repo, 'Control-Change')).toBe('resume');
    expect(controlOf(repo.dir)).toMatchObject({ x_team_note: { owner: 'registry' } });
    expect(await engine.run(batch({ operations: [{ type: 'write', target: 'a.txt', content: 'b\n' }] }))).toMatchObject({
      status: 'completed',
    });

    const audit = engine
      .events({ limit: 10 })
      .filter((e) => e.type === 'control_changed')
      .map((e) => [e.data.change, e.data.by]);
    expect(audit).toEqual([
      ['stop', 'alice'],
      ['resume', 'bob'],
    ]);
  });

  it('stops and resumes one ecosystem while the others run', async () => {
    const { engine } = await setup();
    await engine.stop({ reason: 'npm registry outage', ecosystem: 'npm', by: 'alice' });
    const npm = await engine.run(batch({ ecosystem: 'npm', operations: [{ type: 'write', target: 'n.txt', content: 'n' }] }));
    const pypi = await engine.run(batch({ ecosystem: 'pypi', operations: [{ type: 'write', target: 'p.txt', content: 'p' }] }));
    expect(npm).toMatchObject({ status: 'refused', reason: { code: 'ECOSYSTEM_DISABLED' } });
    expect(pypi.status).toBe('completed');
    const resumed = await engine.resume({ ecosystem: 'npm', by: 'alice' });
    expect(resumed.control.disabled_ecosystems).toEqual([]);
    expect((await engine.run(batch({ ecosystem: 'npm', operations: [{ type: 'write', target: 'n.txt', content: 'n' }] }))).status).toBe(
      'completed',
    );
  });

  it('writes nothing when the result would be invalid, or when the file is broken', async () => {
    const { repo, engine } = await setup();
    const before = repo.snapshot();
    await expect(engine.stop({ reason: 'x', by: 'a', expectedResume: 'tomorrow morning' })).rejects.toMatchObject({
      code: 'CONTROL_EDIT_INVALID',
    });
    expect(repo.snapshot()).toBe(before);
    writeFileSync(join(repo.dir, 'batch-control.json'), '{ "enabled": tru');
    repo.commitAll('broken by hand');
    const broken = repo.snapshot();
    await expect(engine.stop({ reason: 'x', by: 'a' })).rejects.toMatchObject({ code: 'CONTROL_FILE_INVALID' });
    expect(repo.snapshot()).toBe(broken);
  });

  it('writes the default file, stopped, when the file is missing', async () => {
    const { repo, engine } = await setup();
    rmSync(join(repo.dir, 'batch-control.json'));
    repo.commitAll('control file removed');
    const stopped = await engine.stop({ reason: 'no control file', by: 'alice' });
    expect(stopped.control).toMatchObject({ enabled: false, policy: { limits: { max_concurrent_operations: 5 } } });
    expect(repo.git('status', '--porcelain')).toBe('');
  });

  it('commits nothing when the file already says so', async () => {
    const { repo, engine } = await setup();
    const first = await engine.stop({ reason: 'r', by: 'a' });
    const head = repo.head();
    const again = await engine.resume({ by: 'a' });
    expect(again.commit).not.toBeNull();
    const noop = await engine.resume({ by: 'a' });
    expect(noop).toMatchObject({ changed: false, commit: null });
    expect(first.commit).toBe(head);
  });
});

describe('a stop written while a batch runs', () => {
  it('halts it before the next operation, rolls back its changes, and cancels it with the reason', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 50; i++) files[`pkg/${i}.txt`] = `v1 ${i}\n`;
    const { repo, engine } = await setup(files);
    const before = repo.snapshot();
    const controlFile = join(repo.dir, 'batch-control.json');
    const stopAt = 5;
    let seenAfterStop = 0;
    engine.on((event) => {
      if (event.type !== 'batch_progress') return;
      const done = (event.data as { completed: number }).completed;
      if (done === stopAt) {
        // An operator's hand edit, landing between two operations (a pushed stop arrives the same way).
        writeFileSync(controlFile, JSON.stringify({ ...controlOf(repo.dir), enabled: false, reason: 'halt: checksum drift' }, null, 2));
      } else if (done > stopAt) {
        seenAfterStop++;
      }
    });
    const result = await engine.run(
      batch({ options: { concurrency: 1 }, operations: Object.keys(files).map((target) => ({ type: 'write', target, content: 'v2\n' })) }),
    );
    expect(result).toMatchObject({ status: 'cancelled', commit: null, reason: { code: 'EMERGENCY_STOP' } });
    expect(result.reason?.message).toContain('halt: checksum drift');
    expect(seenAfterStop).toBe(0); // not one more operation
    expect(result.errors.filter((e) => e.code === 'STOPPED')).toHaveLength(50 - stopAt);
    // every file is back; only the operator's edit to the control file remains
    expect(repo.git('status', '--porcelain').trim()).toBe('M batch-control.json');
    repo.git('checkout', '--', 'batch-control.json');
    expect(repo.snapshot()).toBe(before);
  });

  it('does not halt a rollback: the incident tool runs under a stop', async () => {
    const { repo, engine } = await setup({ 'a.txt': 'v1\n' });
    const done = await engine.run(batch({ operations: [{ type: 'write', target: 'a.txt', content: 'v2\n' }] }));
    await engine.stop({ reason: 'incident', by: 'alice' });
    const rolledBack = await engine.rollback(done.batch_id);
    expect(rolledBack.success).toBe(true);
    expect(repo.read('a.txt')).toBe('v1\n');
  });
});
