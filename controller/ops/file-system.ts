// Work-tree primitives every operation uses. Each leaves a path either as it was or as intended:
// content goes to a temp file in the same directory and is renamed into place (atomic on POSIX).
//
// They are synchronous on purpose. A write is ~6 small system calls; through the libuv thread pool
// each is a round trip between threads, and a 10,000-file batch took 1.4 s that way against 0.45 s
// with the same calls made synchronously (docs/benchmarks.md). The apply loop yields to the event
// loop between time slices, so signals and stops are still seen within one slice.
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  closeSync,
  constants,
  fchmodSync,
  fstatSync,
  ftruncateSync,
  lstatSync,
  mkdirSync,
  openSync,
  readlinkSync,
  renameSync,
  rmdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { readdir, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';

import { OpFailure } from './op-context.js';

const TEMP_NAME = /^\.batchctl-[0-9a-f]{12}\.tmp$/;

function tempNameFor(file: string): string {
  return join(dirname(file), `.batchctl-${randomBytes(6).toString('hex')}.tmp`);
}

/** Remove temp files a killed run left next to these paths (crash recovery); returns how many. */
export async function removeTempFiles(root: string, paths: readonly string[]): Promise<number> {
  let removed = 0;
  for (const dir of new Set(paths.map((path) => dirname(path)))) {
    let names: string[];
    try {
      names = await readdir(join(root, dir));
    } catch {
      continue;
    }
    for (const name of names.filter((n) => TEMP_NAME.test(n))) {
      await rm(join(root, dir, name), { force: true });
      removed++;
    }
  }
  return removed;
}

/** Create parent directories; retried because a concurrent prune may remove them. */
function withParent<T>(file: string, action: () => T): T {
  for (let attempt = 0; ; attempt++) {
    mkdirSync(dirname(file), { recursive: true });
    try {
      return action();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || attempt >= 3) throw error;
    }
  }
}

/**
 * Rewrite an existing regular file in place: false (nothing done) when the path is not one — new,
 * a symlink, a directory, unwritable, or hard-linked (where writing would change the other name too).
 * Replacing a file by rename frees its inode, and on some disks (ext4 with online discard) that
 * costs ~0.6 ms a file against ~0.1 ms for an in-place rewrite (docs/benchmarks.md). A crash midway
 * is undone from the journal like any other; a failed rewrite is put back by the decide step.
 */
function rewriteInPlace(file: string, data: Buffer, bits: number): boolean {
  let fd: number;
  try {
    fd = openSync(file, constants.O_WRONLY | constants.O_NOFOLLOW);
  } catch {
    return false;
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile() || stat.nlink !== 1) return false;
    // Overwrite, then cut what is left: truncating to zero first would free every block only to
    // allocate them again, and freeing is the slow part on such disks (0.87 s of 1.24 s for 10,000).
    for (let done = 0; done < data.length;) done += writeSync(fd, data, done, data.length - done, done);
    if (stat.size > data.length) ftruncateSync(fd, data.length);
    if ((stat.mode & 0o777) !== bits) fchmodSync(fd, bits);
    return true;
  } finally {
    closeSync(fd);
  }
}

/**
 * Create a file that is known not to exist, where it belongs: open with O_CREAT|O_EXCL (which never
 * follows a symlink), write, set the mode. A temp file and a rename would cost three more system
 * calls a file for an atomicity nothing needs here: a crash midway leaves a path the journal undoes
 * (docs/lifecycle.md#durability-and-concurrency). If something took the path since validation, the file is someone else's: refuse.
 */
function createExclusive(file: string, data: Buffer, bits: number, path: string): void {
  let fd: number;
  try {
    fd = openSync(file, 'wx', bits);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST')
      throw new OpFailure('TARGET_APPEARED', `${path} appeared while the batch ran (not by batchctl); it was left alone`);
    if (code !== 'ENOENT') throw error;
    mkdirSync(dirname(file), { recursive: true });
    fd = openSync(file, 'wx', bits);
  }
  try {
    for (let done = 0; done < data.length;) done += writeSync(fd, data, done, data.length - done);
    // git records only the executable bit, and a umask never adds it: only 755 needs making sure of.
    if (bits & 0o100) fchmodSync(fd, bits);
  } catch (error) {
    closeSync(fd);
    rmSync(file, { force: true });
    throw error;
  }
  closeSync(fd);
}

export interface WriteHow {
  /** an existing regular file may be rewritten where it is (see rewriteInPlace) */
  inPlace?: boolean;
  /** the path is known absent: create it exclusively (see createExclusive) */
  fresh?: boolean;
}

/**
 * Put `data` at `path` with a git mode: created exclusively when `fresh`, rewritten in place when
 * `inPlace` allows it, else atomically (temp file + rename).
 */
export function atomicWrite(
  root: string,
  path: string,
  data: Buffer,
  mode: string,
  { inPlace = false, fresh = false }: WriteHow = {},
): void {
  const file = join(root, path);
  const bits = mode === '100755' ? 0o755 : 0o644;
  if (mode !== '120000') {
    if (fresh) return createExclusive(file, data, bits, path);
    if (inPlace && rewriteInPlace(file, data, bits)) return;
  }
  withParent(file, () => {
    const temp = tempNameFor(file);
    try {
      if (mode === '120000') {
        symlinkSync(data.toString('utf8'), temp);
      } else {
        writeFileSync(temp, data, { mode: bits });
        chmodSync(temp, bits); // umask must not decide the mode git records
      }
      renameSync(temp, file);
    } catch (error) {
      rmSync(temp, { force: true });
      throw error;
    }
  });
}

/** rename(2): atomic, and replaces an existing target. */
export function atomicMove(root: string, source: string, target: string): void {
  const to = join(root, target);
  withParent(to, () => renameSync(join(root, source), to));
  pruneEmptyParents(root, source);
}

export function removeFile(root: string, path: string): void {
  rmSync(join(root, path), { force: true });
  pruneEmptyParents(root, path);
}

/**
 * git does not track directories: remove the ones a delete or move left empty (best effort). A
 * directory that is not there is climbed past: a `mkdir -p` that failed midway made only its top.
 */
export function pruneEmptyParents(root: string, path: string): void {
  let dir = dirname(path);
  while (dir !== '.' && dir !== '') {
    if (!removeEmptyDir(join(root, dir))) return; // not empty: stop climbing
    dir = dirname(dir);
  }
}

/** Answers of rmdir(2) that say the directory stays: it holds something, or is not one. */
const KEEPS_DIR = new Set(['ENOTEMPTY', 'EEXIST', 'ENOTDIR']);

/**
 * rmdir, tried a second time after an I/O error (EIO, ENOSPC, EBUSY: a fault that passes), so that
 * one bad moment does not leave an empty directory git would not have. Returns false when it stays.
 */
function removeEmptyDir(dir: string): boolean {
  for (let attempt = 1; ; attempt++) {
    try {
      rmdirSync(dir);
      return true;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? '';
      if (code === 'ENOENT') return true; // climbed past: a `mkdir -p` that failed midway made only its top
      if (KEEPS_DIR.has(code) || attempt === 2) return false;
    }
  }
}

/** The git mode of what is on disk now. */
export function diskMode(root: string, path: string): string | null {
  let stat;
  try {
    stat = lstatSync(join(root, path), { throwIfNoEntry: false });
  } catch {
    return null;
  }
  if (stat === undefined) return null;
  if (stat.isSymbolicLink()) return '120000';
  return stat.mode & 0o111 ? '100755' : '100644';
}

export function readLinkBytes(root: string, path: string): Buffer {
  return Buffer.from(readlinkSync(join(root, path)), 'utf8');
}
