// Issue 9 A8 through the built CLI: an atomic batch fails, and putting one file back fails too (the
// process runs under `ulimit -f`: the original is bigger than the limit, what the batch wrote is
// not). The other paths are put back, the error is one readable line with a hint, the journal stays,
// and `batchctl recover`, once the limit is gone, puts every path back as before the batch and records the
// breaker failure the kept journal held back.
import { existsSync } from 'node:fs';
import { join } from 'node:path';

import { afterEach, describe, expect, it } from 'vitest';

import { gitRepo, removeRepo, type TestRepo } from '../helpers/git-repo.js';
import { jsonLines, runCli } from '../helpers/run-cli.js';

const repos: TestRepo[] = [];
afterEach(() => {
  for (const r of repos.splice(0)) removeRepo(r);
});

describe('a rollback that cannot put every path back', () => {
  it('restores the rest, says RESTORE_INCOMPLETE with a hint on stderr, and `recover` finishes once the cause is fixed', async () => {
    const big = 'original line\n'.repeat(200_000); // 2.8 MB, over the 2 MiB limit below
    const files: Record<string, string> = { 'big.txt': big };
    for (let i = 0; i < 9; i++) files[`small/${i}.txt`] = `old ${i}\n`;
    const repo = gitRepo(files);
    repos.push(repo);
    const head = repo.head();
    const operations = [
      { type: 'write', target: 'big.txt', content: 'shrunk\n' }, // first: the restore meets it first
      ...Array.from({ length: 9 }, (_, i) => ({ type: 'write', target: `small/${i}.txt`, content: `new ${i}\n` })),
      { type: 'replace', target: 'small/0.txt', find: 'absent', replace: 'x' }, // fails: the atomic batch rolls back
    ];
    const input = JSON.stringify({ title: 'cannot be undone in full', options: { atomic: true }, operations });

    const out = await runCli(['run', '-', '--json'], { cwd: repo.dir, input, fileSizeLimitKiB: 2048 });
    expect(out.code, out.stderr).toBe(1);
    const result = jsonLines(out.stdout).at(-1);
    expect(result).toMatchObject({ status: 'failed', reason: { code: 'RESTORE_INCOMPLETE', data: { paths: ['big.txt'] } } });
    expect(out.stderr).toMatch(/^batchctl: RESTORE_INCOMPLETE: .*big\.txt.*\(Hint: .*batchctl recover.*\)$/m);
    expect(out.stderr).not.toMatch(/"level"|\n\s+at /); // no pino line, no stack
    for (let i = 0; i < 9; i++) expect(repo.read(`small/${i}.txt`)).toBe(`old ${i}\n`);
    expect(repo.read('big.txt')).not.toBe(big);
    expect(existsSync(join(repo.dir, '.git', 'batchctl', 'journal.json'))).toBe(true);

    const still = await runCli(['recover'], { cwd: repo.dir, fileSizeLimitKiB: 2048 });
    expect(still.code).toBe(1);
    expect(still.stderr).toMatch(/^batchctl: RESTORE_INCOMPLETE: .*\(Hint: .*\)$/m);
    expect(still.stderr).not.toMatch(/"level"|\n\s+at /);

    const recovered = await runCli(['recover', '--json'], { cwd: repo.dir });
    expect(recovered.code, recovered.stderr).toBe(0);
    const batchId = String((result as { batch_id: string }).batch_id);
    expect(jsonLines(recovered.stdout).at(-1)).toMatchObject({
      recovered: { action: 'restored' },
      pending_failures: { recorded: [batchId] },
    });
    // Every path is as before the batch; the breaker failure the kept journal held back is recorded now
    // (docs/control-file.md#a-failure-not-yet-recorded): one control-state commit, batch-control.json only.
    expect(repo.read('big.txt')).toBe(big);
    for (let i = 0; i < 9; i++) expect(repo.read(`small/${i}.txt`)).toBe(`old ${i}\n`);
    expect(repo.git('rev-parse', 'HEAD~1').trim()).toBe(head);
    expect(repo.git('diff', '--name-only', head, 'HEAD').trim()).toBe('batch-control.json');
    expect(repo.git('status', '--porcelain', '--untracked-files=all')).toBe('');
    const status = await runCli(['status', batchId, '--json'], { cwd: repo.dir });
    expect(jsonLines(status.stdout).at(-1)).toMatchObject({ batch: { status: 'failed', reason_code: 'RESTORE_INCOMPLETE' } });
  });
});
