// batchctl purge with the built CLI: --dry-run lists what is past its window and changes nothing;
// purge deletes it (the newest backup stays) and records an event.
import { join } from 'node:path';

import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';

import { gitRepo, removeRepo, type TestRepo } from '../helpers/git-repo.js';
import { jsonLines, runCli } from '../helpers/run-cli.js';

const repos: TestRepo[] = [];
afterEach(() => {
  for (const r of repos.splice(0)) removeRepo(r);
});

const refs = (repo: TestRepo): string[] => repo.git('for-each-ref', '--format=%(refname)', 'refs/batchctl/').split('\n').filter(Boolean);

describe('batchctl purge', () => {
  it('lists with --dry-run, then deletes, the backup and retry refs past their windows', async () => {
    const repo = gitRepo({ 'a.txt': 'a' });
    repos.push(repo);
    const run = await runCli(['run', '-', '--json'], {
      cwd: repo.dir,
      input: JSON.stringify({ operations: [{ type: 'write', target: 'b.txt', content: 'b' }] }),
    });
    expect(run.code, run.stderr).toBe(0);
    const current = `refs/batchctl/backups/${jsonLines(run.stdout).at(-1)?.batch_id as string}`;
    // Left by batches of 2020 whose records are gone (another machine, a rebuilt database).
    const oldBackup = 'refs/batchctl/backups/b-20200101-000000-aaaaaa';
    const oldRetry = 'refs/batchctl/retry/b-20200101-000000-bbbbbb';
    repo.git('update-ref', oldBackup, 'HEAD^');
    repo.git('update-ref', oldRetry, repo.git('rev-parse', 'HEAD^{tree}').trim());
    const before = repo.git('for-each-ref');

    const dry = await runCli(['purge', '--dry-run', '--json'], { cwd: repo.dir });
    expect(dry.code, dry.stderr).toBe(0);
    expect(jsonLines(dry.stdout).at(-1)).toMatchObject({
      dry_run: true,
      batches: 0,
      backup_refs: [oldBackup],
      retry_refs: [oldRetry],
      kept_refs: [],
    });
    expect(repo.git('for-each-ref')).toBe(before);

    const done = await runCli(['purge'], { cwd: repo.dir });
    expect(done.code, done.stderr).toBe(0);
    expect(done.stdout).toContain('deleted: 0 batches (0 items), 0 events, 1 backup refs, 1 retry refs');
    expect(done.stdout).toContain(oldBackup);
    expect(refs(repo)).toEqual([current]);
    const db = new Database(join(repo.dir, '.git', 'batchctl', 'state.db'), { readonly: true });
    try {
      const purged = db.prepare<[], string>("SELECT data_json FROM batch_events WHERE type = 'purged'").pluck().all();
      expect(purged.map((json) => JSON.parse(json) as Record<string, unknown>)).toEqual([
        expect.objectContaining({ auto: false, backup_refs: [oldBackup] }),
      ]);
    } finally {
      db.close();
    }
  });

  it('exits 2 naming an unknown flag, and changes nothing', async () => {
    const repo = gitRepo({ 'a.txt': 'a' });
    repos.push(repo);
    const out = await runCli(['purge', '--older-than', '3'], { cwd: repo.dir });
    expect(out.code).toBe(2);
    expect(out.stderr).toContain('--older-than');
  });
});
