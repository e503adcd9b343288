// Issue 9 A8: a restore that meets an error puts back every other path, keeps the journal and ends
// with RESTORE_INCOMPLETE naming what is left; once the cause is gone, `recover` finishes the job.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { afterEach, describe, expect, it } from 'vitest';

import type { JournalPath } from '../../../controller/domain/index.js';
import type { Engine } from '../../../controller/engine/index.js';
import { readJournal, writeJournal } from '../../../controller/journal/index.js';
import { batch, engineFor } from '../../helpers/engine.js';
import { gitRepo, removeRepo, undoControlState, type TestRepo } from '../../helpers/git-repo.js';
import { crashJournal } from '../../helpers/crash-journal.js';

const repos: TestRepo[] = [];
const engines: Engine[] = [];
afterEach(() => {
  for (const engine of engines.splice(0)) engine.close();
  for (const repo of repos.splice(0)) removeRepo(repo);
});

const NAMES = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'].map((n) => `${n}.txt`);

async function crashedMidBatch(): Promise<{ repo: TestRepo; engine: Engine; stateDir: string; before: string }> {
  const repo = gitRepo(Object.fromEntries(NAMES.map((name) => [name, `original ${name}\n`])));
  const engine = await engineFor(repo);
  repos.push(repo);
  engines.push(engine);
  const stateDir = join(repo.dir, '.git', 'batchctl');
  const before = repo.snapshot();
  const touched: JournalPath[] = NAMES.map((path) => ({
    path,
    before: { oid: repo.git('rev-parse', `HEAD:${path}`).trim(), mode: '100644' },
  }));
  touched.push({ path: 'new/made.txt', before: null });
  const journal = crashJournal(repo, { touched });
  await writeJournal(stateDir, journal);
  // What the killed run left: every file rewritten, one created.
  for (const name of NAMES) repo.write(name, `batch wrote ${name}\n`);
  repo.write('new/made.txt', 'created');
  return { repo, engine, stateDir, before };
}

describe('a crash-recovery restore that meets an error', () => {
  it('restores every path it can, keeps the journal, names the path left, and finishes once the cause is fixed', async () => {
    const { repo, engine, stateDir, before } = await crashedMidBatch();
    // The obstacle, in the middle of the list: something put a non-empty directory where e.txt must go.
    rmSync(join(repo.dir, 'e.txt'));
    mkdirSync(join(repo.dir, 'e.txt'));
    writeFileSync(join(repo.dir, 'e.txt', 'someone.txt'), 'in the way');

    const error = await engine.recover().then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: 'RESTORE_INCOMPLETE', data: { paths: ['e.txt'] } });
    expect((error as { hint?: string }).hint).toContain('batchctl recover');
    for (const name of NAMES.filter((n) => n !== 'e.txt')) expect(repo.read(name), name).toBe(`original ${name}\n`);
    expect(repo.git('ls-files', '--others', '--exclude-standard', '--', 'new')).toBe('');
    expect(await readJournal(stateDir)).not.toBeNull();

    rmSync(join(repo.dir, 'e.txt'), { recursive: true }); // the cause, fixed
    expect(await engine.recover()).toMatchObject({ action: 'restored', paths: 11 });
    expect(repo.snapshot()).toBe(before);
    expect(await readJournal(stateDir)).toBeNull();
  });

  it('blocks the next batch with the same error, changing nothing more, until the cause is fixed', async () => {
    const { repo, engine, stateDir, before } = await crashedMidBatch();
    rmSync(join(repo.dir, 'b.txt'));
    mkdirSync(join(repo.dir, 'b.txt', 'deep'), { recursive: true });
    writeFileSync(join(repo.dir, 'b.txt', 'deep', 'x'), 'x');

    const result = await engine.run(batch({ operations: [{ type: 'write', target: 'z.txt', content: 'z' }] }));
    expect(result).toMatchObject({ status: 'failed', reason: { code: 'RESTORE_INCOMPLETE' } });
    expect(repo.git('ls-files', '--others', '--', 'z.txt')).toBe('');
    expect(await readJournal(stateDir)).not.toBeNull();

    rmSync(join(repo.dir, 'b.txt'), { recursive: true });
    expect(await engine.recover()).toMatchObject({ action: 'restored' });
    expect(repo.snapshot()).toBe(before);
  });
});

describe('a rollback whose batch turned a file into a directory', () => {
  it('removes what the batch created before putting the file back', async () => {
    const repo = gitRepo({ 'a.txt': 'v1', conf: 'a file\n' });
    const engine = await engineFor(repo);
    repos.push(repo);
    engines.push(engine);
    const before = repo.snapshot();
    const head = repo.head();
    const result = await engine.run(
      batch({
        options: { atomic: true },
        operations: [
          { type: 'delete', target: 'conf' },
          { type: 'write', target: 'conf/settings.toml', content: 'now a directory\n' },
          { type: 'replace', target: 'a.txt', find: 'absent', replace: 'x' }, // fails: the atomic batch rolls back
        ],
      }),
    );
    expect(result).toMatchObject({ status: 'failed', reason: { code: 'ATOMIC_FAILURE' } });
    expect(repo.read('conf')).toBe('a file\n');
    undoControlState(repo, head); // the failure's own record in batch-control.json
    expect(repo.snapshot()).toBe(before);
  });
});
