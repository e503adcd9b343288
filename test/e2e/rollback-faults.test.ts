// Issue 11, classes 7 and 11: a rollback leaves the work tree exactly as before the batch, whatever
// system call failed on the way: no torn file (a rewrite whose ftruncate failed), no directory the
// batch made for a write that failed, and no temp file of batchctl's own durable writes.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { afterEach, describe, expect, it } from 'vitest';

import { gitRepo, removeRepo, undoControlState, type TestRepo } from '../helpers/git-repo.js';
import { jsonLines, runCli } from '../helpers/run-cli.js';
import { runCliWithFault } from '../helpers/strace-cli.js';

const repos: TestRepo[] = [];
afterEach(() => {
  for (const r of repos.splice(0)) removeRepo(r);
});
function repo(files: Record<string, string>): TestRepo {
  const r = gitRepo(files);
  repos.push(r);
  return r;
}

const tempFiles = (dir: string): string[] => readdirSync(dir).filter((name) => /^\.batchctl-.*\.tmp$/.test(name));

describe('a rollback after a failed system call', () => {
  it('puts back a file whose in-place rewrite failed at ftruncate: no new bytes over the old tail (class 7)', async () => {
    const long = 'the original line, longer than what replaces it\n'.repeat(50);
    const r = repo({ 'a.txt': long, 'b.txt': 'b1\n' });
    const head = r.head();
    const before = r.snapshot();
    const input = JSON.stringify({
      title: 'torn',
      options: { atomic: true },
      operations: [
        { type: 'write', target: 'b.txt', content: 'b2\n' },
        { type: 'write', target: 'a.txt', content: 'short\n' }, // overwritten in place, then cut: the cut fails
      ],
    });
    const out = await runCliWithFault(['run', '-', '--json'], {
      cwd: r.dir,
      input,
      fault: { path: join(r.dir, 'a.txt'), syscalls: ['ftruncate'], error: 'EIO' },
    });
    expect(out.code, out.stderr).toBe(1);
    expect(jsonLines(out.stdout).at(-1)).toMatchObject({
      status: 'failed',
      reason: { code: 'ATOMIC_FAILURE' },
      errors: [{ path: 'a.txt', code: 'IO_FAILED' }],
    });
    expect(readFileSync(join(r.dir, 'a.txt'), 'utf8')).toBe(long);
    expect(undoControlState(r, head)).toEqual(['budget']); // the failure's own record, taken back to compare
    expect(r.snapshot()).toBe(before);
  });

  it('removes the directories it made for a write that failed midway, as git has none there (class 11)', async () => {
    const r = repo({ 'b.txt': 'b1\n' });
    const head = r.head();
    const before = r.snapshot();
    const input = JSON.stringify({
      title: 'no room',
      options: { atomic: true },
      operations: [
        { type: 'write', target: 'b.txt', content: 'b2\n' },
        { type: 'write', target: 'new/deep/x.txt', content: 'x\n' },
      ],
    });
    // mkdir -p: new/deep first (ENOENT, no parent), then new (made), then new/deep again: that one fails.
    const out = await runCliWithFault(['run', '-', '--json'], {
      cwd: r.dir,
      input,
      fault: { path: join(r.dir, 'new', 'deep'), syscalls: ['mkdir', 'mkdirat'], error: 'ENOSPC', when: 2 },
    });
    expect(out.code, out.stderr).toBe(1);
    expect(jsonLines(out.stdout).at(-1)).toMatchObject({ status: 'failed', errors: [{ path: 'new/deep/x.txt', code: 'IO_FAILED' }] });
    expect(existsSync(join(r.dir, 'new'))).toBe(false);
    undoControlState(r, head);
    expect(r.snapshot()).toBe(before);
  });

  it('removes a directory a delete emptied even when its first rmdir fails with EIO, as git has none there (class 11)', async () => {
    const r = repo({ 'keep.txt': 'k\n', 'tmp/only.txt': 'o\n', 'gen/deep/one.txt': '1\n' });
    const out = await runCliWithFault(['run', '-'], {
      cwd: r.dir,
      input: JSON.stringify({
        title: 'empties',
        operations: [
          { type: 'delete', target: 'tmp/only.txt' },
          { type: 'move', source: 'gen/deep/one.txt', target: 'one.txt' },
        ],
      }),
      fault: { path: join(r.dir, 'tmp'), syscalls: ['rmdir'], error: 'EIO', once: true },
    });
    expect(out.code, out.stderr).toBe(0);
    expect(existsSync(join(r.dir, 'tmp'))).toBe(false);
    expect(existsSync(join(r.dir, 'gen'))).toBe(false);
    expect(readFileSync(join(r.dir, 'one.txt'), 'utf8')).toBe('1\n');
  });

  it('leaves no temp file of its own durable write in .git/batchctl when the rename into place fails (class 11)', async () => {
    const r = repo({ 'a.txt': 'v1\n' });
    const stateDir = join(r.dir, '.git', 'batchctl');
    // Where the failure would be kept pending stands a directory: the rename onto it fails (EISDIR).
    mkdirSync(join(stateDir, 'pending-failures.json', 'x'), { recursive: true });
    const input = JSON.stringify({
      title: 'fails',
      options: { atomic: true },
      operations: [{ type: 'replace', target: 'a.txt', find: 'absent', replace: 'y' }],
    });
    const out = await runCli(['run', '-', '--json'], { cwd: r.dir, input });
    expect(out.code, out.stderr).toBe(1);
    expect(jsonLines(out.stdout).at(-1)).toMatchObject({ status: 'failed', reason: { code: 'ATOMIC_FAILURE' } });
    expect(tempFiles(stateDir)).toEqual([]);
  });

  it('recovery sweeps the temp files a killed run left in .git/batchctl (class 11)', async () => {
    const r = repo({ 'a.txt': 'v1\n' });
    const stateDir = join(r.dir, '.git', 'batchctl');
    mkdirSync(stateDir, { recursive: true });
    writeFileSync(join(stateDir, '.batchctl-0123456789ab.tmp'), '{"version":1'); // a journal cut short by a kill
    const out = await runCli(['recover'], { cwd: r.dir });
    expect(out.code, out.stderr).toBe(0);
    expect(tempFiles(stateDir)).toEqual([]);
  });

  it('a journal whose write fails at the fsync of its directory is not left behind (class 11)', async () => {
    const r = repo({ 'a.txt': 'v1\n' });
    const stateDir = join(r.dir, '.git', 'batchctl');
    expect((await runCli(['list'], { cwd: r.dir })).code).toBe(0); // the database exists before the fault
    const before = r.snapshot();
    const input = JSON.stringify({ title: 'no journal', operations: [{ type: 'write', target: 'a.txt', content: 'v2\n' }] });
    const out = await runCliWithFault(['run', '-', '--json'], {
      cwd: r.dir,
      input,
      fault: { path: stateDir, syscalls: ['fsync', 'fdatasync'], error: 'EIO' },
    });
    expect(out.code, out.stderr).toBe(1);
    expect(jsonLines(out.stdout).at(-1)).toMatchObject({ status: 'failed' });
    expect(existsSync(join(stateDir, 'journal.json'))).toBe(false);
    expect(tempFiles(stateDir)).toEqual([]);
    expect(r.snapshot()).toBe(before);
  });
});
