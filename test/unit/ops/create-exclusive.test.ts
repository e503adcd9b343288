// A file the plan says is new is created where it belongs, exclusively: whatever took the path since
// validation (a file, a symlink) is someone else's and stays as it is.
import { mkdtempSync, readFileSync, readlinkSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { atomicWrite, OpFailure } from '../../../controller/ops/index.js';

const bytes = Buffer.from('batch\n');

describe('creating a new file', () => {
  it('creates its directories and the file', () => {
    const root = mkdtempSync(join(tmpdir(), 'batchctl-ops-'));
    atomicWrite(root, 'a/b/c.txt', bytes, '100644', { fresh: true });
    expect(readFileSync(join(root, 'a/b/c.txt'), 'utf8')).toBe('batch\n');
  });

  it('refuses a path a file appeared at, and leaves that file alone', () => {
    const root = mkdtempSync(join(tmpdir(), 'batchctl-ops-'));
    writeFileSync(join(root, 'c.txt'), 'theirs\n');
    expect(() => atomicWrite(root, 'c.txt', bytes, '100644', { fresh: true })).toThrow(OpFailure);
    expect(() => atomicWrite(root, 'c.txt', bytes, '100644', { fresh: true })).toThrow(/c\.txt appeared while the batch ran/);
    expect(readFileSync(join(root, 'c.txt'), 'utf8')).toBe('theirs\n');
  });

  it('never writes through a symlink that appeared at the path', () => {
    const root = mkdtempSync(join(tmpdir(), 'batchctl-ops-'));
    const outside = join(mkdtempSync(join(tmpdir(), 'batchctl-outside-')), 'target.txt');
    writeFileSync(outside, 'outside\n');
    symlinkSync(outside, join(root, 'c.txt'));
    let code: string | undefined;
    try {
      atomicWrite(root, 'c.txt', bytes, '100644', { fresh: true });
    } catch (error) {
      code = (error as OpFailure).code;
    }
    expect(code).toBe('TARGET_APPEARED');
    expect(readlinkSync(join(root, 'c.txt'))).toBe(outside);
    expect(readFileSync(outside, 'utf8')).toBe('outside\n');
  });
});
