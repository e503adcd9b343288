// Existing files are rewritten in place (bench/rollback.ts: renames are slow on some disks), so
// these check what in-place writing must never do: leave a half-written file, or write through a
// hard link into another file, or keep a stale mode. New files are created where they belong
// (no temp file), and must get the mode git records whatever the umask.
import { linkSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

import { afterEach, describe, expect, it } from 'vitest';

import { gitRepo, removeRepo, type TestRepo } from '../helpers/git-repo.js';
import { jsonLines, runCli } from '../helpers/run-cli.js';

const repos: TestRepo[] = [];
afterEach(() => {
  for (const r of repos.splice(0)) removeRepo(r);
});
function repo(files: Record<string, string>): TestRepo {
  const r = gitRepo(files);
  r.commitAll('seed');
  repos.push(r);
  return r;
}

describe('writes to existing files', () => {
  it('leaves nothing half-written when a rewrite hits the file-size limit midway', async () => {
    const original = 'original content\n'.repeat(100);
    const files: Record<string, string> = { 'big.txt': original };
    for (let i = 0; i < 9; i++) files[`small/${i}.txt`] = `old ${i}\n`;
    const r = repo(files);
    const operations = [
      ...Array.from({ length: 9 }, (_, i) => ({ type: 'write', target: `small/${i}.txt`, content: `new ${i}\n` })),
      { type: 'write', target: 'big.txt', content: 'x'.repeat(3 * 1024 * 1024) }, // over the 2 MiB limit: EFBIG after truncating
    ];
    const out = await runCli(['run', '-', '--json'], {
      cwd: r.dir,
      input: JSON.stringify({ title: 'torn', operations }),
      fileSizeLimitKiB: 2048,
    });
    // The process survives SIGXFSZ and fails that write cleanly: big.txt is put back as it was, and
    // the other nine commit (1 of 10 failed is under the threshold). The failed write's content is
    // kept for `retry` in git (compressed), not in a database row the limit would refuse.
    expect(out.stderr).not.toContain('File size limit');
    expect(out.code, out.stderr).toBe(0);
    const result = jsonLines(out.stdout).at(-1);
    expect(result).toMatchObject({ status: 'completed', success_count: 9, failure_count: 1 });
    expect(result?.errors).toEqual([expect.objectContaining({ path: 'big.txt' })]);
    expect(r.read('big.txt')).toBe(original);
    expect(r.read('small/0.txt')).toBe('new 0\n');
    expect(r.git('show', 'HEAD:big.txt')).toBe(original);
    expect(r.git('status', '--porcelain', '--untracked-files=all')).toBe('');
  });

  it('does not write through a hard link into the other name', async () => {
    const r = repo({ 'a.txt': 'shared\n' });
    const outside = join(r.dir, '.git', 'other-name.txt'); // a second name, outside the work tree
    linkSync(join(r.dir, 'a.txt'), outside);
    const out = await runCli(['run', '-'], {
      cwd: r.dir,
      input: JSON.stringify({ operations: [{ type: 'write', target: 'a.txt', content: 'changed\n' }] }),
    });
    expect(out.code, out.stderr).toBe(0);
    expect(r.read('a.txt')).toBe('changed\n');
    expect(readFileSync(outside, 'utf8')).toBe('shared\n');
  });

  it('sets the mode git records, whatever the file had', async () => {
    const r = repo({ 'run.sh': 'echo old\n' });
    const out = await runCli(['run', '-'], {
      cwd: r.dir,
      input: JSON.stringify({ operations: [{ type: 'write', target: 'run.sh', content: 'echo new\n', mode: '100755' }] }),
    });
    expect(out.code, out.stderr).toBe(0);
    expect(statSync(join(r.dir, 'run.sh')).mode & 0o777).toBe(0o755);
    expect(r.git('ls-files', '-s', 'run.sh')).toMatch(/^100755 /);
  });
});

describe('new files', () => {
  it('get the mode git records under a restrictive umask, and the tree is clean after', async () => {
    const r = repo({ 'keep.txt': 'k\n' });
    const operations = [
      { type: 'write', target: 'bin/tool.sh', content: 'echo hi\n', mode: '100755' },
      { type: 'write', target: 'notes/a.txt', content: 'a\n' },
      { type: 'copy', source: 'keep.txt', target: 'copies/keep.txt' },
    ];
    const out = await runCli(['run', '-'], { cwd: r.dir, umask: '177', input: JSON.stringify({ operations }) });
    expect(out.code, out.stderr).toBe(0);
    expect(statSync(join(r.dir, 'bin/tool.sh')).mode & 0o777).toBe(0o755);
    expect(statSync(join(r.dir, 'notes/a.txt')).mode & 0o777).toBe(0o600); // as git checkout would leave it
    expect(r.git('ls-files', '-s', 'bin/tool.sh', 'notes/a.txt', 'copies/keep.txt')).toMatch(
      /^100755 \S+ 0\tbin\/tool\.sh\n100644 \S+ 0\tcopies\/keep\.txt\n100644 \S+ 0\tnotes\/a\.txt\n$/,
    );
    expect(r.git('status', '--porcelain')).toBe('');
  });
});
