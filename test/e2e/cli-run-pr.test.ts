// `batchctl run --pr` through the built CLI: a temp repository with a local bare remote and the fake GitHub.
// The batch is pushed to batch/<id> (never to main), recorded `proposed`, its pull request opened with labels
// and the commit status set; after the merge and `reindex` it is `completed`. Without a token it is off.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import { FAKE_TOKEN, fakeGitHub, MISSING_PERMISSION, type FakeGitHub } from '../helpers/fake-github.js';
import { git, useRemoteRepos } from '../helpers/remote-repo.js';
import { jsonLines, runCli } from '../helpers/run-cli.js';

let github: FakeGitHub;
beforeAll(async () => {
  github = await fakeGitHub();
});
afterAll(() => github.close());
const cleanup: Array<() => void> = [];
afterEach(() => {
  for (const undo of cleanup.splice(0)) undo();
});

const withRemote = useRemoteRepos();

const env = (): Record<string, string> => ({
  GITHUB_TOKEN: FAKE_TOKEN,
  GITHUB_API_URL: github.url,
  GITHUB_REPOSITORY: 'acme/registry',
  BATCHCTL_GITHUB_WRITE_GAP_MS: '0',
});

const BATCH = JSON.stringify({
  title: 'bump left-pad',
  ecosystem: 'npm',
  requested_by: 'ci',
  operations: [
    { type: 'write', target: 'packages/left-pad.json', content: '{"version":"2.0.0"}\n' },
    { type: 'write', target: 'packages/right-pad.json', content: '{"version":"1.1.0"}\n' },
  ],
});

describe('batchctl run --pr', () => {
  it('pushes batch/<id>, opens the labelled pull request, sets the status; completed after the merge and reindex', async () => {
    const { r, remote } = withRemote({ 'a.txt': 'v1\n' });
    const mainBefore = git(remote, 'rev-parse', 'main');
    const summary = join(remote, 'step-summary.md'); // outside the work tree
    const out = await runCli(['run', '-', '--pr', '--auto-merge', '--json'], {
      cwd: r.dir,
      input: BATCH,
      env: { ...env(), GITHUB_STEP_SUMMARY: summary },
    });
    expect(out.code, out.stderr).toBe(0);
    const result = jsonLines(out.stdout).at(-1) ?? {};
    const id = result.batch_id as string;
    expect(result).toMatchObject({ status: 'proposed', github: { pull_request: { auto_merge: true }, commit_status: 'success' } });

    // The remote's main did not move; the branch batch/<id> holds the batch commit, its tag beside it.
    expect(git(remote, 'rev-parse', 'main')).toBe(mainBefore);
    expect(git(remote, 'rev-parse', `refs/heads/batch/${id}`)).toBe(result.commit);
    expect(git(remote, 'rev-parse', `refs/tags/batch/${id}^{commit}`)).toBe(result.commit);
    // The work tree is back on main, as it was.
    expect(r.git('symbolic-ref', 'HEAD').trim()).toBe('refs/heads/main');
    expect(r.git('status', '--porcelain').trim()).toBe('');
    expect(r.git('rev-parse', 'HEAD').trim()).toBe(mainBefore);

    const pull = github.issues.find((i) => i.pull?.head === `batch/${id}`);
    expect(pull).toMatchObject({ title: 'bump left-pad', labels: ['batch', 'ecosystem:npm'], pull: { base: 'main' } });
    expect(pull?.body).toContain('`packages/left-pad.json`');
    expect(pull?.body).toContain(`Batch-Id: ${id}`);
    expect(github.graphql.at(-1)?.variables).toEqual({ id: pull?.pull?.node_id });
    expect(github.statuses.at(-1)).toMatchObject({ sha: result.commit, state: 'success', context: 'batchctl/batch' });
    expect(readFileSync(summary, 'utf8')).toContain(
      `Pull request: [#${pull?.number}](https://github.test/acme/registry/pull/${pull?.number})`,
    );

    const status = await runCli(['status', id, '--json'], { cwd: r.dir });
    expect(jsonLines(status.stdout)[0]).toMatchObject({ batch: { status: 'proposed' } });
    // The API writes ride in the batch's control state: pull request, labels, auto-merge, status.
    const control = JSON.parse(git(remote, 'show', `refs/heads/batch/${id}:batch-control.json`)) as { budget: Record<string, unknown> };
    expect(control.budget.api_writes_used).toBe(4);

    // GitHub merges the pull request (a merge commit on main); the work tree pulls, reindex sees the commit.
    const merger = mkdtempSync(join(tmpdir(), 'batchctl-merge-'));
    cleanup.push(() => rmSync(merger, { recursive: true, force: true }));
    git(merger, 'clone', '-q', remote, '.');
    git(merger, 'merge', '-q', '--no-ff', '-m', `Merge pull request #${pull?.number} from batch/${id}`, `origin/batch/${id}`);
    git(merger, 'push', '-q', 'origin', 'main');
    r.git('pull', '-q', '--ff-only');
    const reindex = await runCli(['reindex'], { cwd: r.dir });
    expect(reindex.code, reindex.stderr).toBe(0);
    const after = await runCli(['status', id, '--json'], { cwd: r.dir });
    expect(jsonLines(after.stdout)[0]).toMatchObject({ batch: { status: 'completed', commit_sha: result.commit } });
  });

  it('is off without a token: nothing runs, nothing is pushed', async () => {
    const { r, remote } = withRemote({ 'a.txt': 'v1\n' });
    const before = r.snapshot();
    const out = await runCli(['run', '-', '--pr'], { cwd: r.dir, input: BATCH, env: { ...env(), GITHUB_TOKEN: '' } });
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(/^batchctl: GITHUB_OFF: run --pr is off: GITHUB_TOKEN is not set/);
    expect(r.snapshot()).toBe(before);
    expect(git(remote, 'for-each-ref', '--format=%(refname)')).toBe('refs/heads/main');
  });

  it('runs without --pr and without a token as before, saying in Actions that the GitHub features are off', async () => {
    const { r, remote } = withRemote({ 'a.txt': 'v1\n' });
    const out = await runCli(['run', '-'], { cwd: r.dir, input: BATCH, env: { ...env(), GITHUB_TOKEN: '', GITHUB_ACTIONS: 'true' } });
    expect(out.code, out.stderr).toBe(0);
    expect(out.stderr).toContain('batchctl: github: commit status and incident issues are off: GITHUB_TOKEN is not set\n');
    expect(git(remote, 'rev-parse', 'main')).toBe(r.head());
  });

  it('keeps the proposal when the pull request cannot be opened, naming the missing permission', async () => {
    const { r, remote } = withRemote({ 'a.txt': 'v1\n' });
    github.answerNext(MISSING_PERMISSION(/\/pulls$/, 'pull_requests=write'));
    const out = await runCli(['run', '-', '--pr', '--json'], { cwd: r.dir, input: BATCH, env: env() });
    expect(out.code, out.stderr).toBe(0);
    const result = jsonLines(out.stdout).at(-1) ?? {};
    expect(result).toMatchObject({ status: 'proposed', github: { commit_status: 'success', warnings: [{ code: 'GITHUB_PERMISSION' }] } });
    expect(out.stderr).toContain('batchctl: warning: GITHUB_PERMISSION:');
    expect(out.stderr).toContain('pull_requests=write');
    expect(git(remote, 'rev-parse', `refs/heads/batch/${result.batch_id as string}`)).toBe(result.commit);
  });

  it('rollback --pr proposes the revert; the batch is rolled back once the revert is merged and reindexed', async () => {
    const { r, remote } = withRemote({ 'a.txt': 'v1\n' });
    const ran = await runCli(['run', '-', '--json'], { cwd: r.dir, input: BATCH, env: env() });
    expect(ran.code, ran.stderr).toBe(0);
    const id = (jsonLines(ran.stdout).at(-1) ?? {}).batch_id as string;
    const mainBefore = git(remote, 'rev-parse', 'main');

    const out = await runCli(['rollback', id, '--pr', '--json'], { cwd: r.dir, env: env() });
    expect(out.code, out.stderr).toBe(0);
    const result = jsonLines(out.stdout).at(-1) ?? {};
    const revert = result.rollback_batch_id as string;
    expect(result).toMatchObject({ success: true, status: 'proposed', github: { pull_request: { auto_merge: false } } });
    expect(git(remote, 'rev-parse', 'main')).toBe(mainBefore);
    expect(git(remote, 'rev-parse', `refs/heads/batch/${revert}`)).toBe(result.commit);
    expect(git(remote, 'tag', '--list', 'rollback/*')).toBe('');
    const pull = github.issues.find((i) => i.pull?.head === `batch/${revert}`);
    expect(pull).toMatchObject({ title: `Revert batch ${id}`, labels: ['batch', 'rollback', 'ecosystem:npm'] });
    expect(pull?.body).toContain(`Reverts-Batch: ${id}`);
    const proposed = await runCli(['status', id, '--json'], { cwd: r.dir });
    expect(jsonLines(proposed.stdout)[0]).toMatchObject({ batch: { status: 'completed' } });

    const merger = mkdtempSync(join(tmpdir(), 'batchctl-merge-'));
    cleanup.push(() => rmSync(merger, { recursive: true, force: true }));
    git(merger, 'clone', '-q', remote, '.');
    git(merger, 'merge', '-q', '--no-ff', '-m', 'Merge the revert', `origin/batch/${revert}`);
    git(merger, 'push', '-q', 'origin', 'main');
    r.git('pull', '-q', '--ff-only');
    expect((await runCli(['reindex'], { cwd: r.dir })).code).toBe(0);
    const original = await runCli(['status', id, '--json'], { cwd: r.dir });
    expect(jsonLines(original.stdout)[0]).toMatchObject({ batch: { status: 'rolled_back' } });
    const reverted = await runCli(['status', revert, '--json'], { cwd: r.dir });
    expect(jsonLines(reverted.stdout)[0]).toMatchObject({ batch: { status: 'completed' } });
    expect(r.git('ls-files', 'packages').trim()).toBe(''); // the files the batch created are gone again
  });

  it('leaves no branch behind when the proposed batch does not commit', async () => {
    const { r, remote } = withRemote({ 'a.txt': 'v1\n' });
    const before = r.snapshot();
    const refused = JSON.stringify({ title: 'bad', ecosystem: 'npm', operations: [{ type: 'delete', target: 'missing.txt' }] });
    const out = await runCli(['run', '-', '--pr', '--json'], { cwd: r.dir, input: refused, env: env() });
    expect(out.code).toBe(2);
    expect(jsonLines(out.stdout).at(-1)).toMatchObject({ status: 'refused' });
    expect(r.git('symbolic-ref', 'HEAD').trim()).toBe('refs/heads/main');
    expect(r.git('for-each-ref', '--format=%(refname)', 'refs/heads/').trim()).toBe('refs/heads/main');
    expect(git(remote, 'for-each-ref', '--format=%(refname)')).toBe('refs/heads/main');
    expect(r.snapshot()).toBe(before);
  });

  it('refuses --auto-merge without --pr', async () => {
    const { r } = withRemote({ 'a.txt': 'v1\n' });
    const out = await runCli(['run', '-', '--auto-merge'], { cwd: r.dir, input: BATCH, env: env() });
    expect(out.code).toBe(2);
    expect(out.stderr).toContain('USAGE: option --auto-merge: goes with --pr');
  });
});
