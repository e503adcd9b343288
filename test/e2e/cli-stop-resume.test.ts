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
    const stop = await runCli(['stop', '--reason', 'incident 7', '--by', 'alice', '--incident-url', 'https://status.example/7', '--json'], { cwd: r.dir });
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
