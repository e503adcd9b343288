// batchctl init from the command line (issue 9 A13): commits the control file and its schema alone,
// or, where it will not commit, says so (and exits 0: the files are written).
import { afterEach, describe, expect, it } from 'vitest';

import { gitRepo, removeRepo, type TestRepo } from '../helpers/git-repo.js';
import { jsonLines, runCli } from '../helpers/run-cli.js';

const repos: TestRepo[] = [];
afterEach(() => {
  for (const r of repos.splice(0)) removeRepo(r);
});
const FILES = ['batch-control.json', 'batch-control.schema.json'];

describe('batchctl init', () => {
  it('commits both files and nothing the user had staged', async () => {
    const r = gitRepo({ 'a.txt': 'a\n' }, { control: false });
    repos.push(r);
    r.write('a.txt', 'staged\n');
    r.git('add', 'a.txt');
    const out = await runCli(['init', '--json'], { cwd: r.dir });
    expect(out.code, out.stderr).toBe(0);
    expect(jsonLines(out.stdout).at(-1)).toMatchObject({ created: true, commit: r.head(), not_committed: null });
    expect(r.git('show', '--name-only', '--format=', 'HEAD').trim().split('\n').sort()).toEqual(FILES);
    expect(r.git('log', '-1', '--format=%(trailers:key=Control-Change,valueonly)').trim()).toBe('init');
    expect(r.git('diff', '--cached', '--name-only')).toBe('a.txt\n');
    const run = await runCli(['run', '-'], {
      cwd: r.dir,
      input: JSON.stringify({ ecosystem: 'npm', operations: [{ type: 'write', target: 'b.txt', content: 'b' }] }),
    });
    expect(run.code, run.stderr).toBe(0);
  });

  it('says the files must be committed when it will not commit them (detached HEAD)', async () => {
    const r = gitRepo({}, { control: false });
    repos.push(r);
    r.git('checkout', '-q', '--detach');
    const head = r.head();
    const json = await runCli(['init', '--json'], { cwd: r.dir });
    expect(json.code, json.stderr).toBe(0);
    expect(jsonLines(json.stdout).at(-1)).toMatchObject({ created: true, commit: null, not_committed: expect.any(String) });
    const text = await runCli(['init', '--force'], { cwd: r.dir });
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain('git add -- batch-control.json batch-control.schema.json');
    expect(r.head()).toBe(head);
  });
});
