// batchctl retry with the built CLI: a second retry of one batch returns the first; --again runs anew.
import { afterEach, describe, expect, it } from 'vitest';

import { gitRepo, removeRepo, type TestRepo } from '../helpers/git-repo.js';
import { jsonLines, runCli } from '../helpers/run-cli.js';

const repos: TestRepo[] = [];
afterEach(() => {
  for (const r of repos.splice(0)) removeRepo(r);
});

describe('batchctl retry', () => {
  it('returns the first retry when asked twice, and runs a new batch with --again', async () => {
    const repo = gitRepo({ 'k.txt': 'keep\n' });
    repos.push(repo);
    const operations = [
      { type: 'write', target: 'a.bin', content_base64: Buffer.from([0, 255, 1, 254]).toString('base64') },
      { type: 'replace', target: 'k.txt', find: 'later', replace: 'LATER' },
    ];
    const failed = await runCli(['run', '-', '--json'], {
      cwd: repo.dir,
      input: JSON.stringify({ options: { atomic: true }, operations }),
    });
    expect(failed.code).toBe(1);
    const id = jsonLines(failed.stdout).at(-1)?.batch_id as string;
    repo.write('k.txt', 'keep later\n');
    repo.commitAll('fix');

    const first = await runCli(['retry', id, '--json'], { cwd: repo.dir });
    expect(first.code, first.stderr).toBe(0);
    const firstResult = jsonLines(first.stdout).at(-1);
    expect(firstResult).toMatchObject({ status: 'completed', success_count: 2 });
    const head = repo.head();

    const second = await runCli(['retry', id], { cwd: repo.dir });
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toContain(`batch ${firstResult?.batch_id as string}: completed`);
    expect(second.stdout).toContain('--again');
    expect(repo.head()).toBe(head);

    repo.write('k.txt', 'keep later\n'); // so the replace applies a second time
    repo.commitAll('again');
    const third = await runCli(['retry', id, '--again', '--json'], { cwd: repo.dir });
    expect(third.code, third.stderr).toBe(0);
    const thirdResult = jsonLines(third.stdout).at(-1);
    expect(thirdResult?.batch_id).not.toBe(firstResult?.batch_id);
    expect(thirdResult).toMatchObject({ status: 'completed' });
    expect(thirdResult).not.toHaveProperty('idempotent_replay');
    expect(repo.git('log', '-1', '--format=%(trailers:key=Retries-Batch,valueonly)').trim()).toBe(id);
  });
});
