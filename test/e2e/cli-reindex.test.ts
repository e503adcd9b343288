import { readdirSync, rmSync, writeFileSync } from 'node:fs';
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

  it('warns, naming reindex, when the database file is empty (0 bytes) instead of starting afresh in silence', async () => {
    const repo = gitRepo({ 'a.txt': 'a' });
    repos.push(repo);
    const run = await runCli(['run', '-', '--json'], {
      cwd: repo.dir,
      input: JSON.stringify({ operations: [{ type: 'write', target: 'b.txt', content: 'b' }] }),
    });
    const id = jsonLines(run.stdout).at(-1)?.batch_id as string;
    const stateDir = join(repo.dir, '.git', 'batchctl');
    // What a crash of a file system that lost the file's blocks leaves: the name, no bytes.
    writeFileSync(join(stateDir, 'state.db'), '');
    for (const f of readdirSync(stateDir).filter((n) => n.startsWith('state.db-'))) rmSync(join(stateDir, f));

    const list = await runCli(['list'], { cwd: repo.dir });
    expect(list.code).toBe(0);
    const warnings = jsonLines(list.stderr).filter((line) => line['warning'] === 'STORE_FILE_EMPTY');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ file: join(stateDir, 'state.db'), rebuild: 'batchctl reindex' });

    expect((await runCli(['reindex'], { cwd: repo.dir })).code).toBe(0);
    const status = await runCli(['status', id, '--json'], { cwd: repo.dir });
    expect(jsonLines(status.stdout)[0]).toMatchObject({ batch: { batch_id: id, status: 'completed' } });
    // Once rebuilt, the file is a database again: no more warnings.
    expect(jsonLines((await runCli(['list'], { cwd: repo.dir })).stderr)).toEqual([]);
  });
});
