// diskKinds answers from one readdir where a batch names many paths in a directory, and from lstat
// otherwise: both must say exactly what lstat says, without following a final symlink.
import { lstatSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import { diskKinds, type DiskKind } from '../../../controller/validate/disk-kinds.js';

const root = mkdtempSync(join(tmpdir(), 'batchctl-disk-kinds-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function lstatKind(path: string): DiskKind {
  try {
    const stat = lstatSync(join(root, path));
    return stat.isSymbolicLink() ? 'symlink' : stat.isDirectory() ? 'dir' : 'file';
  } catch {
    return 'missing';
  }
}

describe('diskKinds', () => {
  mkdirSync(join(root, 'many/sub'), { recursive: true });
  mkdirSync(join(root, 'few'), { recursive: true });
  for (let i = 0; i < 10; i++) writeFileSync(join(root, `many/f${i}.txt`), 'x');
  writeFileSync(join(root, 'few/a.txt'), 'x');
  symlinkSync('f0.txt', join(root, 'many/link'));
  symlinkSync('nowhere', join(root, 'many/dangling'));
  symlinkSync('sub', join(root, 'many/dirlink'));
  symlinkSync('many', join(root, 'alias')); // a directory reached through a symlink
  writeFileSync(join(root, 'plain'), 'x');

  const inMany = [
    ...Array.from({ length: 14 }, (_, i) => `many/f${i}.txt`), // 10 exist, 4 do not
    'many/link',
    'many/dangling',
    'many/dirlink',
    'many/sub',
    'many/café.txt',
  ];
  const elsewhere = ['few/a.txt', 'few/b.txt', 'plain', 'plain/below', 'gone/x', 'alias', 'many'];
  const throughAlias = Array.from({ length: 16 }, (_, i) => `alias/f${i}.txt`);

  it('says what lstat says for every path, listed directory or not', () => {
    const paths = [...inMany, ...elsewhere, ...throughAlias];
    const disk = diskKinds(root, paths);
    for (const path of paths) expect([path, disk(path)]).toEqual([path, lstatKind(path)]);
    expect(disk('many/dangling')).toBe('symlink');
    expect(disk('many/f13.txt')).toBe('missing');
    expect(disk('alias/f3.txt')).toBe('file');
  });

  it('answers for paths it was not told about too (the ancestors of a batch path)', () => {
    const disk = diskKinds(root, inMany);
    expect(disk('many')).toBe('dir');
    expect(disk('alias')).toBe('symlink');
    expect(disk('many/sub/deeper')).toBe('missing');
  });
});
