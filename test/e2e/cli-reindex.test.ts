import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { afterEach, describe, expect, it } from 'vitest';

import { gitRepo, removeRepo, type TestRepo } from '../helpers/git-repo.js';
import { jsonLines, runCli } from '../helpers/run-cli.js';

const repos: TestRepo[] = [];
afterEach(() => {
  for (const r of repos.splice(0)) removeRepo(r);
});

describe('batchctl reindex', () => {
  it('moves a damaged database aside and rebuilds the committed batches from git', async () => {
    const repo = gitRepo({ 'a.txt': 'a' });
    repos.push(repo);
    const run = await runCli(['run', '-', '--json'], {
      cwd: repo.dir,
      input: JSON.stringify({ operations: [{ type: 'write', target: 'b.txt', content: 'b' }] }),
    });
    const id = jsonLines(run.stdout).at(-1)?.batch_id as string;
    const stateDir = join(repo.dir, '.git', 'batchctl');
    writeFileSync(join(stateDir, 'state.db'), 'this is not a database, it was damaged');
    for (const f of readdirSync(stateDir).filter((n) => n.startsWith('state.db-'))) writeFileSync(join(stateDir, f), '');

    const broken = await runCli(['list'], { cwd: repo.dir });
    expect(broken.code).toBe(1);
    expect(broken.stderr).toContain('STORE_FAILED');

    const reindex = await runCli(['reindex'], { cwd: repo.dir });
    expect(reindex.code).toBe(0);
    expect(reindex.stdout).toContain('1 rebuilt');
    expect(readdirSync(stateDir).some((n) => n.startsWith('state.db.damaged-'))).toBe(true);
    const status = await runCli(['status', id, '--json'], { cwd: repo.dir });
    expect(jsonLines(status.stdout)[0]).toMatchObject({ batch: { batch_id: id, status: 'completed' } });
  });
});
