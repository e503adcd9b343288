// The index file read here rather than by `git ls-files` (docs/lifecycle.md#how-batchctl-drives-git):
// a batch asks about its own paths twice (validation, and the read-back after update-index), and
// each `ls-files -- <paths>` costs a process and a pass of git's over every entry (77 ms at 100,000
// files). The file is sorted by path, so each path is a binary search over the entries' offsets.
// Only the plain layouts (versions 2 and 3, one file) are read; any other asks git (null).
import { open } from 'node:fs/promises';
import { join } from 'node:path';

import type { ObjectFormat } from './object-format.js';
import type { IndexEntry } from './worktree-state.js';

/** Extensions after which the entries in the file are not the whole index (split index, sparse index). */
const NOT_WHOLE = new Set(['link', 'sdir']);
/** ctime, mtime, dev, ino, mode, uid, gid, size: the fixed fields before the object id */
const STAT_BYTES = 40;

interface Parsed {
  data: Buffer;
  /** each entry's start, in the file's (sorted) order */
  offsets: Int32Array;
  hashBytes: number;
}

/**
 * A buffer kept between reads: at 100,000 files the index is 9 MB, and a new buffer each time costs
 * more in page faults than the read itself. One read at a time uses it; another gets its own.
 */
export interface IndexScratch {
  buffer: Buffer | null;
  busy: boolean;
}

/** The file's bytes (a view of the scratch buffer when it is free), or null when there is no file. */
async function readIndexFile(file: string, scratch: IndexScratch | undefined): Promise<{ data: Buffer; release(): void } | null> {
  let handle;
  try {
    handle = await open(file, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  const mine = scratch !== undefined && !scratch.busy;
  try {
    const { size } = await handle.stat(); // the open file: git replaces the index by rename, never in place
    let buffer: Buffer;
    if (mine && scratch.buffer !== null && scratch.buffer.length >= size) buffer = scratch.buffer;
    else buffer = Buffer.allocUnsafe(size);
    if (mine) {
      scratch.buffer = buffer;
      scratch.busy = true;
    }
    let at = 0;
    while (at < size) {
      const { bytesRead } = await handle.read(buffer, at, size - at, at);
      if (bytesRead === 0) break;
      at += bytesRead;
    }
    return { data: buffer.subarray(0, at), release: () => mine && (scratch.busy = false) };
  } catch (error) {
    if (mine) scratch.busy = false;
    throw error;
  } finally {
    await handle.close();
  }
}

/** The entries' offsets, or null when this index is not one this reader reads whole. */
function parse(data: Buffer, format: ObjectFormat): Parsed | null {
  if (data.length < 12 || data.toString('latin1', 0, 4) !== 'DIRC') return null;
  const version = data.readUInt32BE(4);
  if (version !== 2 && version !== 3) return null; // 4 compresses paths against the one before
  const count = data.readUInt32BE(8);
  const hashBytes = format === 'sha1' ? 20 : 32;
  const offsets = new Int32Array(count);
  let at = 12;
  for (let i = 0; i < count; i++) {
    if (at + STAT_BYTES + hashBytes + 2 > data.length) return null;
    offsets[i] = at;
    const flags = data.readUInt16BE(at + STAT_BYTES + hashBytes);
    const nameAt = at + STAT_BYTES + hashBytes + (flags & 0x4000 ? 4 : 2);
    let length = flags & 0xfff;
    if (length === 0xfff) length = data.indexOf(0, nameAt) - nameAt; // a long path: its NUL ends it
    if (length < 0) return null;
    at += (nameAt - at + length + 8) & ~7; // NUL-padded to a multiple of 8
  }
  // Extensions, up to the checksum: one that says the entries are not all here sends us to git.
  while (at + 8 <= data.length - hashBytes) {
    if (NOT_WHOLE.has(data.toString('latin1', at, at + 4))) return null;
    at += 8 + data.readUInt32BE(at + 4);
  }
  return { data, offsets, hashBytes };
}

function nameOf({ data, hashBytes }: Parsed, at: number): Buffer {
  const flags = data.readUInt16BE(at + STAT_BYTES + hashBytes);
  const nameAt = at + STAT_BYTES + hashBytes + (flags & 0x4000 ? 4 : 2);
  const length = flags & 0xfff;
  return data.subarray(nameAt, length === 0xfff ? data.indexOf(0, nameAt) : nameAt + length);
}

/** The stage-0 entry at exactly `path`, by binary search (git sorts by the name's bytes, then stage). */
function lookup(parsed: Parsed, path: Buffer): IndexEntry | null {
  const { data, offsets, hashBytes } = parsed;
  let low = 0;
  let high = offsets.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (Buffer.compare(nameOf(parsed, offsets[mid] as number), path) < 0) low = mid + 1;
    else high = mid;
  }
  if (low === offsets.length) return null;
  const at = offsets[low] as number;
  if (!nameOf(parsed, at).equals(path)) return null;
  if (((data.readUInt16BE(at + STAT_BYTES + hashBytes) >> 12) & 3) !== 0) return null; // a conflict's stages: no stage 0
  return {
    mode: data
      .readUInt32BE(at + 24)
      .toString(8)
      .padStart(6, '0'),
    oid: data.toString('hex', at + STAT_BYTES, at + STAT_BYTES + hashBytes),
  };
}

/**
 * Index entries (stage 0) for exactly these paths, as `ls-files -s` lists them; null when the
 * index is in a layout this reader leaves to git (version 4, split, sparse).
 * @example const entries = (await readIndexEntries({ gitDir, format: 'sha1', paths: ['a.txt'] })) ?? (await askGit());
 */
export async function readIndexEntries({
  gitDir,
  format,
  paths,
  scratch,
}: {
  gitDir: string;
  format: ObjectFormat;
  paths: readonly string[];
  scratch?: IndexScratch;
}): Promise<Map<string, IndexEntry> | null> {
  const file = await readIndexFile(join(gitDir, 'index'), scratch);
  if (file === null) return new Map(); // no index yet: nothing staged
  try {
    const parsed = parse(file.data, format);
    if (!parsed) return null;
    const entries = new Map<string, IndexEntry>();
    for (const path of paths) {
      const entry = lookup(parsed, Buffer.from(path, 'utf8'));
      if (entry) entries.set(path, entry);
    }
    return entries;
  } finally {
    file.release();
  }
}
