// `batchctl verify` completes proposed batches as reindex does (issue 15: "completed when batchctl reindex/verify
// sees its commit"): after the pull request of `run --pr` is merged (merge commit or squash) and pulled, verify
// records the batch `completed`, checks its files and says so; an unmerged proposal stays `proposed`; a merged
// `rollback --pr` revert rolls its batch back. Built CLI, a temp repository with a bare remote, the fake GitHub.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import { FAKE_TOKEN, fakeGitHub, type FakeGitHub } from '../helpers/fake-github.js';
import type { TestRepo } from '../helpers/git-repo.js';
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

const remoteRepo = useRemoteRepos();

function withRemote(): { r: TestRepo; remote: string; merge: (branch: string, how: 'merge' | 'squash') => void } {
  const { r, remote } = remoteRepo({ 'a.txt': 'v1\n' });
  const merger = mkdtempSync(join(tmpdir(), 'batchctl-merge-'));
  cleanup.push(() => rmSync(merger, { recursive: true, force: true }));
  git(merger, 'clone', '-q', remote, '.');
  /** what GitHub's merge button does on the remote, then the work tree pulls */
  const merge = (branch: string, how: 'merge' | 'squash'): void => {
    git(merger, 'fetch', '-q', 'origin');
    git(merger, 'reset', '-q', '--hard', 'origin/main');
    if (how === 'merge') git(merger, 'merge', '-q', '--no-ff', '-m', `Merge ${branch}`, `origin/${branch}`);
    else {
      // A squash merge: one new commit whose message keeps the batch commit's trailers (GitHub's default body).
      git(merger, 'merge', '-q', '--squash', `origin/${branch}`);
      git(merger, 'commit', '-q', '-m', git(merger, 'log', '-1', '--format=%B', `origin/${branch}`));
    }
    git(merger, 'push', '-q', 'origin', 'main');
    r.git('pull', '-q', '--ff-only');
  };
  return { r, remote, merge };
}

const env = (): Record<string, string> => ({
  GITHUB_TOKEN: FAKE_TOKEN,
  GITHUB_API_URL: github.url,
  GITHUB_REPOSITORY: 'acme/registry',
  BATCHCTL_GITHUB_WRITE_GAP_MS: '0',
});

const batchOf = (name: string): string =>
  JSON.stringify({
    title: `bump ${name}`,
    ecosystem: 'npm',
    requested_by: 'ci',
    operations: [{ type: 'write', target: `packages/${name}.json`, content: '{"version":"2.0.0"}\n' }],
  });

async function propose(r: TestRepo, name: string): Promise<string> {
  const out = await runCli(['run', '-', '--pr', '--json'], { cwd: r.dir, input: batchOf(name), env: env() });
  expect(out.code, out.stderr).toBe(0);
  const result = jsonLines(out.stdout).at(-1) ?? {};
  expect(result.status).toBe('proposed');
  return result.batch_id as string;
}

async function statusOf(r: TestRepo, id: string): Promise<string> {
  const out = await runCli(['status', id, '--json'], { cwd: r.dir });
  return (jsonLines(out.stdout)[0] as { batch: { status: string } }).batch.status;
}

async function verify(r: TestRepo, ...args: string[]) {
  const out = await runCli(['verify', ...args, '--json'], { cwd: r.dir });
  expect(out.code, out.stderr).toBe(0);
  return jsonLines(out.stdout).at(-1) as { checked_batches: number; checked_files: number; completed_proposals?: string[] };
}

describe('batchctl verify completes merged proposals', () => {
  it('completes the merged ones (merge commit and squash) and checks their files; the unmerged one stays proposed', async () => {
    const { r, merge } = withRemote();
    // Each proposed and merged in turn, as a reviewer would (every proposal carries its own control state).
    const merged = await propose(r, 'left-pad');
    merge(`batch/${merged}`, 'merge');
    const squashed = await propose(r, 'right-pad');
    merge(`batch/${squashed}`, 'squash');
    const open = await propose(r, 'is-even');

    const report = await verify(r, '--all');
    expect(report.completed_proposals).toEqual([merged, squashed]);
    expect(report).toMatchObject({ checked_batches: 2, checked_files: 2 });
    expect(await statusOf(r, merged)).toBe('completed');
    expect(await statusOf(r, squashed)).toBe('completed');
    expect(await statusOf(r, open)).toBe('proposed');

    // Said once: the next verify has nothing left to complete.
    expect((await verify(r, '--all')).completed_proposals).toBeUndefined();
    // The human line says it too.
    merge(`batch/${open}`, 'merge');
    const human = await runCli(['verify', open], { cwd: r.dir });
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toContain(`completed ${open}: its proposed commit is on HEAD (pull request merged)`);
    expect(human.stdout).toMatch(/^verified 1 files of 1 batches/);
  });

  it('rolls the batch back when its proposed full revert is merged', async () => {
    const { r, merge } = withRemote();
    const ran = await runCli(['run', '-', '--json'], { cwd: r.dir, input: batchOf('left-pad'), env: env() });
    expect(ran.code, ran.stderr).toBe(0);
    const id = (jsonLines(ran.stdout).at(-1) ?? {}).batch_id as string;
    const out = await runCli(['rollback', id, '--pr', '--json'], { cwd: r.dir, env: env() });
    expect(out.code, out.stderr).toBe(0);
    const revert = (jsonLines(out.stdout).at(-1) ?? {}).rollback_batch_id as string;
    expect(await statusOf(r, revert)).toBe('proposed');
    merge(`batch/${revert}`, 'merge');

    expect((await verify(r, '--all')).completed_proposals).toEqual([revert]);
    expect(await statusOf(r, revert)).toBe('completed');
    expect(await statusOf(r, id)).toBe('rolled_back');
  });
});
