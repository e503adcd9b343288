// Issue 11 class 12: a run killed before it wrote its journal left its row `queued` / `preflight` /
// `validating` forever. Its row names the process that ran it; once that process is gone, recovery
// (`batchctl recover`, or the next command) finalizes the row: `failed`, INTERRUPTED.
import { existsSync } from 'node:fs';
import { join } from 'node:path';

import { afterEach, describe, expect, it } from 'vitest';

import { gitRepo, removeRepo, type TestRepo } from '../helpers/git-repo.js';
import { useGitHook } from '../helpers/git-hook-path.js';
import { jsonLines, runCli } from '../helpers/run-cli.js';

const repos: TestRepo[] = [];
const hooked = useGitHook();
afterEach(() => {
  for (const r of repos.splice(0)) removeRepo(r);
});

describe('a run killed before its journal', () => {
  it('leaves a row that `batchctl recover` marks failed (INTERRUPTED), the repository unchanged', async () => {
    const repo = gitRepo({ 'a.txt': 'a\n' });
    repos.push(repo);
    const before = repo.snapshot();
    // The upstream lookup is the first git call after the row is inserted: the run dies there (SIGKILL
    // of the node process that called git, so nothing of it can finish the row).
    const PATH = hooked({
      subcommand: 'for-each-ref',
      before: 'case "$*" in *upstream:remotename*) touch "$GIT_DIR_OF/shim-fired"; kill -KILL $BATCHCTL_PID; exit 1 ;; esac',
    });
    const input = JSON.stringify({ title: 'killed early', operations: [{ type: 'write', target: 'b.txt', content: 'b\n' }] });
    const killed = await runCli(['run', '-', '--json'], { cwd: repo.dir, input, env: { PATH } });
    expect(existsSync(join(repo.dir, '.git', 'shim-fired'))).toBe(true);
    expect(killed.code).toBeNull();
    expect(existsSync(join(repo.dir, '.git', 'batchctl', 'journal.json'))).toBe(false);

    const listed = jsonLines((await runCli(['list', '--json'], { cwd: repo.dir })).stdout)[0] as {
      batches: Array<{ batch_id: string; status: string }>;
    };
    expect(listed.batches).toHaveLength(1);
    const stuck = listed.batches[0]!;
    expect(['queued', 'preflight', 'validating']).toContain(stuck.status);

    const recovered = await runCli(['recover', '--json'], { cwd: repo.dir });
    expect(recovered.code, recovered.stderr).toBe(0);
    const status = await runCli(['status', stuck.batch_id, '--json'], { cwd: repo.dir });
    expect(jsonLines(status.stdout).at(-1)).toMatchObject({ batch: { status: 'failed', reason_code: 'INTERRUPTED' } });
    expect(repo.snapshot()).toBe(before);

    // The next batch runs as usual.
    const next = await runCli(['run', '-', '--json'], { cwd: repo.dir, input });
    expect(next.code, next.stderr).toBe(0);
  });
});
