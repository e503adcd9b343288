// What a person reads when the CLI says no (issue 9 A2, A11): one `batchctl: CODE: message (Hint: …)`
// line on stderr, usage and config errors named as such, the hint once in --json, no stack traces for
// expected outcomes, global options before the command, and validate's plan hash accepted by run.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, describe, expect, it } from 'vitest';

import { GIT_ENV, gitRepo, removeRepo, type TestRepo } from '../helpers/git-repo.js';
import { jsonLines, runCli } from '../helpers/run-cli.js';

const cleanup: Array<() => void> = [];
afterEach(() => {
  for (const undo of cleanup.splice(0)) undo();
});
function repo(files: Record<string, string> = { 'a.txt': 'a\n' }): TestRepo {
  const r = gitRepo(files);
  r.commitAll('seed');
  cleanup.push(() => removeRepo(r));
  return r;
}

const BATCH = JSON.stringify({ title: 'Add', ecosystem: 'npm', operations: [{ type: 'write', target: 'recipes/a.toml', content: 'a' }] });
const ERROR_LINE = /^batchctl: ([A-Z_]+): (.+?)(?: \(Hint: (.+)\))?$/m;

describe('batchctl refusals and errors', () => {
  it('prints a refused run as one CODE: message (Hint: …) line on stderr', async () => {
    const r = repo();
    writeFileSync(join(r.dir, 'batch-control.json'), JSON.stringify({ enabled: false, reason: 'incident 42' }));
    r.commitAll('stop');
    const out = await runCli(['run', '-'], { cwd: r.dir, input: BATCH });
    expect(out.code).toBe(3);
    const line = ERROR_LINE.exec(out.stderr);
    expect(line?.[1]).toBe('EMERGENCY_STOP');
    expect(line?.[2]).toContain('incident 42');
    expect(line?.[3]).toBeTruthy();
    expect(out.stderr).not.toMatch(/"stack"|\n\s+at /); // an expected refusal, not a crash
  });

  it('prints a validation refusal on stderr too, and exits 2', async () => {
    const r = repo();
    const out = await runCli(['run', '-'], {
      cwd: r.dir,
      input: JSON.stringify({ operations: [{ type: 'write', target: '../x', content: '' }] }),
    });
    expect(out.code).toBe(2);
    expect(ERROR_LINE.exec(out.stderr)?.[1]).toBe('VALIDATION_FAILED');
  });

  it('calls a directory given as the batch file a usage error, naming it', async () => {
    const r = repo();
    mkdirSync(join(r.dir, 'batches'));
    const out = await runCli(['run', 'batches', '--json'], { cwd: r.dir });
    expect(out.code).toBe(2);
    expect(ERROR_LINE.exec(out.stderr)?.[1]).toBe('USAGE');
    expect(jsonLines(out.stdout).at(-1)).toMatchObject({ error: { code: 'USAGE', data: { file: 'batches' } } });
  });

  it('calls a bad BATCHCTL_LOG_LEVEL a configuration error, naming the variable', async () => {
    const r = repo();
    const out = await runCli(['status', '--json'], { cwd: r.dir, env: { BATCHCTL_LOG_LEVEL: 'loud' } });
    expect(out.code).toBe(2);
    expect(jsonLines(out.stdout).at(-1)).toMatchObject({ error: { code: 'CONFIG_INVALID', data: { variable: 'BATCHCTL_LOG_LEVEL' } } });
    expect(out.stderr).not.toContain('INTERNAL');
  });

  it('gives the hint once in a --json error', async () => {
    const r = repo();
    const out = await runCli(['status', 'b-20260101-000000-aaaaaa', '--json'], { cwd: r.dir });
    expect(out.code).toBe(5);
    const error = (jsonLines(out.stdout).at(-1) as { error: { code: string; message: string; hint: string } }).error;
    expect(error.code).toBe('BATCH_NOT_FOUND');
    expect(error.hint).toBeTruthy();
    expect(error.message).not.toContain(error.hint);
    expect(out.stderr.split(error.hint).length - 1).toBe(1);
  });

  it('accepts global options before the command', async () => {
    const r = repo();
    const done = await runCli(['run', '-', '--repo', r.dir], { cwd: tmpdir(), input: BATCH });
    expect(done.code, done.stderr).toBe(0);
    const listed = await runCli(['--repo', r.dir, '--json', 'list'], { cwd: tmpdir() });
    expect(listed.code, listed.stderr).toBe(0);
    expect(jsonLines(listed.stdout)[0]).toMatchObject({ batches: [{ status: 'completed', ecosystem: 'npm' }] });
    const status = await runCli(['--repo', r.dir, 'status'], { cwd: tmpdir() });
    expect(status.code, status.stderr).toBe(0);
  });

  it('logs a lost push race as one line, not an error stack', async () => {
    const r = repo({ 'recipes/a.toml': 'old\n' });
    const remote = mkdtempSync(join(tmpdir(), 'batchctl-remote-'));
    const other = mkdtempSync(join(tmpdir(), 'batchctl-other-'));
    cleanup.push(
      () => rmSync(remote, { recursive: true, force: true }),
      () => rmSync(other, { recursive: true, force: true }),
    );
    const git = (cwd: string, ...args: string[]): string => execFileSync('git', args, { cwd, env: GIT_ENV, encoding: 'utf8' });
    git(remote, 'init', '-q', '--bare', '-b', 'main');
    r.git('remote', 'add', 'origin', remote);
    r.git('push', '-q', '-u', 'origin', 'main');
    git(other, 'clone', '-q', remote, '.');
    writeFileSync(join(other, 'recipes', 'a.toml'), 'theirs\n');
    git(other, 'commit', '-qam', 'someone else edits the same recipe');
    git(other, 'push', '-q');
    const out = await runCli(['run', '-'], { cwd: r.dir, input: BATCH, env: { BATCHCTL_LOG_LEVEL: 'info' } });
    expect(out.code).toBe(1);
    expect(ERROR_LINE.exec(out.stderr)?.[1]).toBe('PUSH_CONFLICT');
    expect(out.stderr).not.toMatch(/"stack"|\n\s+at /);
  });
});

describe('plan hash across commands', () => {
  it('run --plan-hash accepts the hash validate printed, inside GitHub Actions (GITHUB_ACTOR set)', async () => {
    const r = repo();
    writeFileSync(join(r.dir, 'batch.json'), BATCH);
    const env = { GITHUB_ACTOR: 'octocat' };
    const validated = await runCli(['validate', 'batch.json', '--json'], { cwd: r.dir, env });
    const hash = (jsonLines(validated.stdout).at(-1) as { plan_hash: string }).plan_hash;
    const dry = await runCli(['run', 'batch.json', '--dry-run', '--json'], { cwd: r.dir, env });
    expect((jsonLines(dry.stdout).at(-1) as { validation: { plan_hash: string } }).validation.plan_hash).toBe(hash);
    const ran = await runCli(['run', 'batch.json', '--plan-hash', hash, '--json'], { cwd: r.dir, env });
    expect(ran.code, ran.stderr).toBe(0);
    expect(jsonLines(ran.stdout).at(-1)).toMatchObject({ status: 'completed' });
    expect(r.git('log', '-1', '--format=%(trailers:key=Batch-Requested-By,valueonly)').trim()).toBe('octocat');
  });
});
