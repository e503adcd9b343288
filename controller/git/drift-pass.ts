// What `batchctl verify` asks of git (docs/lifecycle.md#drift), in a fixed number of processes
// whatever the number of recorded files: one `ls-tree -r` (every blob at HEAD), one
// `status --porcelain=v2 -z` (the work tree), and one path-limited `log` for the paths that differ.
import { lstatSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';

import { logRecords } from './log-records.js';
import type { ObjectFormat } from './object-format.js';
import { blobId } from './plumbing.js';
import { splitNul, type GitRunner } from './runner.js';

/** The latest commit that changed a path, with the Batch-Id trailer that claims batchctl made it. */
export interface PathToucher {
  commit: string;
  subject: string;
  author: string;
  /** the commit's Batch-Id trailer value ('' when none; a rollback carries its own new id too) */
  batchId: string;
}

/** A path whose index or work-tree content differs from HEAD; `blob` null when deleted there. */
export interface WorkTreeChange {
  blob: string | null;
}

/** path → blob id at `commit` (regular files and symlinks; submodules are not blobs). */
export async function blobsAt(git: GitRunner, commit: string): Promise<Map<string, string>> {
  const { stdout } = await git.exec(['ls-tree', '-r', '-z', '--full-tree', commit]);
  const blobs = new Map<string, string>();
  for (const record of splitNul(stdout)) {
    const tab = record.indexOf('\t');
    const [, type, oid] = record.slice(0, tab).split(' ');
    if (type === 'blob' && oid) blobs.set(record.slice(tab + 1), oid);
  }
  return blobs;
}

/**
 * For each of `paths`, the newest commit reachable from `head` that changed it: one `log` whose
 * paths come on stdin (`--stdin`, after `--`), so 10,000 paths need no argv and no second process.
 */
export async function lastTouchers(
  git: GitRunner,
  { head, paths }: { head: string; paths: readonly string[] },
): Promise<Map<string, PathToucher>> {
  const found = new Map<string, PathToucher>();
  if (paths.length === 0) return found;
  const wanted = new Set(paths);
  const format = '--format=%x1e%H%x1f%s%x1f%an <%ae>%x1f%(trailers:key=Batch-Id,valueonly,separator=%x2C)%x1f';
  const { stdout } = await git.exec(['log', format, '--name-only', '-z', '--no-renames', '--stdin', head], {
    input: `--\n${paths.join('\n')}\n`,
  });
  for (const record of stdout.toString('utf8').split('\x1e')) {
    const fields = record.split('\x1f');
    if (fields.length < 5) continue;
    const [commit = '', subject = '', author = '', batchId = '', names = ''] = fields;
    const toucher: PathToucher = { commit, subject, author, batchId: batchId.trim() };
    for (const path of names.split('\0')) {
      const name = path.replace(/^\n/, '');
      if (wanted.has(name) && !found.has(name)) found.set(name, toucher);
    }
    if (found.size === wanted.size) break;
  }
  return found;
}

/** The id the work tree's bytes at `path` would have as a blob (no filters, as batchctl writes), or null when absent. */
function workTreeBlob(root: string, path: string, objectFormat: ObjectFormat): string | null {
  const file = join(root, path);
  try {
    const stat = lstatSync(file);
    if (stat.isSymbolicLink()) return blobId({ content: readlinkSync(file), objectFormat });
    if (!stat.isFile()) return null;
    return blobId({ content: readFileSync(file), objectFormat });
  } catch {
    return null;
  }
}

/**
 * Tracked paths among `paths` whose index or work tree differs from HEAD, from one
 * `status --porcelain=v2 -z --untracked-files=no` (no walk of untracked directories).
 */
export async function workTreeChanges(
  git: GitRunner,
  { paths, objectFormat }: { paths: ReadonlySet<string>; objectFormat: ObjectFormat },
): Promise<Map<string, WorkTreeChange>> {
  const { stdout } = await git.exec(['status', '--porcelain=v2', '-z', '--untracked-files=no', '--no-renames']);
  const changes = new Map<string, WorkTreeChange>();
  const records = splitNul(stdout);
  for (let i = 0; i < records.length; i++) {
    const record = records[i] ?? '';
    // "1 XY sub mH mI mW hH hI path"; "2 …" has an origin path in the next record (renames are off, but be safe)
    if (record.startsWith('2 ')) i++;
    if (!record.startsWith('1 ') && !record.startsWith('2 ')) continue;
    const fields = record.split(' ');
    const skip = record.startsWith('1 ') ? 8 : 9;
    const path = fields.slice(skip).join(' ');
    if (!paths.has(path)) continue;
    const xy = fields[1] ?? '..';
    const indexBlob = fields[7] ?? '';
    let blob: string | null;
    if (xy[1] === 'D' || (xy[1] === '.' && xy[0] === 'D')) blob = null;
    else if (xy[1] !== '.') blob = workTreeBlob(git.cwd, path, objectFormat);
    else blob = /^0+$/.test(indexBlob) ? null : indexBlob;
    changes.set(path, { blob });
  }
  return changes;
}

/** Commits on `head` whose Batch-Id trailer is a well-formed value, newest first (one `log --grep`). */
export async function batchIdsOnHead(git: GitRunner, head: string): Promise<string[]> {
  const records = await logRecords(git, [
    '--format=%H%x1f%(trailers:key=Batch-Id,valueonly,separator=%x2C)%x1e',
    '--fixed-strings',
    '--grep=Batch-Id: ',
    head,
    '--',
  ]);
  return records.map(([, id = '']) => id.trim()).filter((id) => id !== '');
}
