// batchctl stop / resume from the command line: exit codes, the commit, and errors naming the flag.
import { afterEach, describe, expect, it } from 'vitest';

import { gitRepo, removeRepo, type TestRepo } from '../helpers/git-repo.js';
import { jsonLines, runCli } from '../helpers/run-cli.js';

const repos: TestRepo[] = [];
afterEach(() => {
  for (const r of repos.splice(0)) removeRepo(r);
});
const BATCH = JSON.stringify({ title: 't', ecosystem: 'npm', operations: [{ type: 'write', target: 'a.txt', content: 'a' }] });

describe('batchctl stop / resume', () => {
  it('stops, refuses batches with exit 3, and resumes', async () => {
    const r = gitRepo();
    repos.push(r);
    r.commitAll('seed');
    const stop = await runCli(['stop', '--reason', 'incident 7', '--by', 'alice', '--incident-url', 'https://status.example/7', '--json'], {
      cwd: r.dir,
    });
    expect(stop.code, stop.stderr).toBe(0);
    expect(jsonLines(stop.stdout).at(-1)).toMatchObject({ changed: true, control: { enabled: false, reason: 'incident 7' } });
    expect(r.git('log', '-1', '--format=%(trailers:key=Control-Change,valueonly)').trim()).toBe('stop');

    const refused = await runCli(['run', '-'], { cwd: r.dir, input: BATCH });
    expect(refused.code).toBe(3);
    expect(refused.stdout).toContain('incident 7');

    const resume = await runCli(['resume', '--by', 'bob'], { cwd: r.dir });
    expect(resume.code, resume.stderr).toBe(0);
    expect(resume.stdout).toContain('emergency stop lifted');
    expect((await runCli(['run', '-'], { cwd: r.dir, input: BATCH })).code).toBe(0);
  });

  it.each([
    [['stop'], '--reason'],
    [['stop', '--reason', 'x', '--expected-resume', 'tomorrow'], '--expected-resume'],
    [['stop', '--reason', 'x', '--incident-url', 'not a url'], '--incident-url'],
    [['stop', '--reason', 'x', '--ecosystem', '../npm'], '--ecosystem'],
  ])('exits 2 naming the flag for %j, and changes nothing', async (args, flag) => {
    const r = gitRepo();
    repos.push(r);
    r.commitAll('seed');
    const before = r.snapshot();
    const out = await runCli(args, { cwd: r.dir });
    expect(out.code).toBe(2);
    expect(out.stderr).toContain(flag);
    expect(r.snapshot()).toBe(before);
  });
});

describe('batchctl control / sli', () => {
  it('shows the state as JSON and text, and sli exits 1 when an ecosystem is critical', async () => {
    const r = gitRepo({ 'a.txt': 'v1\n' });
    repos.push(r);
    r.commitAll('seed');
    expect((await runCli(['run', '-'], { cwd: r.dir, input: BATCH })).code).toBe(0);
    const ok = await runCli(['sli'], { cwd: r.dir });
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/npm +OK +batches 100\.0% of 1/);

    const failing = JSON.stringify({
      ecosystem: 'pypi',
      options: { atomic: true },
      operations: [{ type: 'replace', target: 'a.txt', find: 'absent', replace: 'x' }],
    });
    expect((await runCli(['run', '-'], { cwd: r.dir, input: failing })).code).toBe(1);
    const critical = await runCli(['sli', '--json'], { cwd: r.dir });
    expect(critical.code).toBe(1);
    expect(jsonLines(critical.stdout).at(-1)).toMatchObject({
      ecosystems: [
        { ecosystem: 'npm', severity: 'ok' },
        { ecosystem: 'pypi', severity: 'critical' },
      ],
    });

    const control = await runCli(['control', '--json'], { cwd: r.dir });
    expect(control.code, control.stderr).toBe(0);
    expect(jsonLines(control.stdout).at(-1)).toMatchObject({
      stop: { enabled: true },
      breakers: [
        { ecosystem: 'npm', state: 'closed' },
        { ecosystem: 'pypi', state: 'closed', failures: 1 },
      ],
      budget: {
        mode: 'normal',
        units: [
          { unit: 'operations', used: 2 },
          { unit: 'ci_minutes', used: 0 },
        ],
      },
    });
    const text = await runCli(['control'], { cwd: r.dir });
    expect(text.stdout).toContain('batches: running');
    expect(text.stdout).toMatch(/operations +2 of 100000/);
  });

  it('fails closed with exit 3 naming the field when the control file is invalid', async () => {
    const r = gitRepo();
    repos.push(r);
    r.write('batch-control.json', JSON.stringify({ enabled: true, disabled_at: 'yesterday' }));
    r.commitAll('bad date');
    const out = await runCli(['control'], { cwd: r.dir });
    expect(out.code).toBe(3);
    expect(out.stderr).toContain('disabled_at');
    // One unreadable breaker entry is not the whole file: `control` answers, and warns naming it.
    r.write('batch-control.json', JSON.stringify({ enabled: true, circuit_breaker: { npm: { state: 'ajar' } } }));
    r.commitAll('bad breaker state');
    const warned = await runCli(['control'], { cwd: r.dir });
    expect(warned.code).toBe(0);
    expect(warned.stderr).toContain('circuit_breaker.npm.state');
  });
});
