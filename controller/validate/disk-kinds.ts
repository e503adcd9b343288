// What is on disk at the paths a batch names, without following a final symlink: one lstat a path,
// or one readdir for a directory that holds many of them (10,000 new files in 100 directories:
// 100 readdirs instead of 10,000 lstats).
import { lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export type DiskKind = 'file' | 'dir' | 'symlink' | 'missing';

/** Paths of a batch in one directory from which listing it beats asking for each. */
const LIST_FROM = 16;

const parentOf = (path: string): string => path.slice(0, Math.max(0, path.lastIndexOf('/')));
const nameIn = (path: string): string => path.slice(path.lastIndexOf('/') + 1);

function lstatKind(file: string): DiskKind {
  let stat;
  try {
    // No exception for a missing path: most targets are new, and a thrown ENOENT costs several lstats.
    stat = lstatSync(file, { throwIfNoEntry: false });
  } catch {
    stat = undefined; // ENOTDIR and the like: nothing there either
  }
  return stat === undefined ? 'missing' : stat.isSymbolicLink() ? 'symlink' : stat.isDirectory() ? 'dir' : 'file';
}

/** The directory's entries by name, or null when it cannot be listed (then each path is asked for). */
function listing(dir: string): Map<string, DiskKind | null> | null {
  try {
    const kinds = new Map<string, DiskKind | null>();
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      // A file system that gives no entry types (DT_UNKNOWN): null, and that one path is lstat'ed.
      const kind = entry.isSymbolicLink() ? 'symlink' : entry.isDirectory() ? 'dir' : entry.isFile() ? 'file' : null;
      kinds.set(entry.name, kind);
    }
    return kinds;
  } catch {
    return null;
  }
}

/**
 * @example const disk = diskKinds(root, touched); disk('src/new.txt') // 'missing'
 */
export function diskKinds(root: string, touched: readonly string[]): (path: string) => DiskKind {
  const perDir = new Map<string, number>();
  for (const path of touched) {
    const dir = parentOf(path);
    perDir.set(dir, (perDir.get(dir) ?? 0) + 1);
  }
  const listed = new Map<string, Map<string, DiskKind | null>>();
  for (const [dir, count] of perDir) {
    if (count < LIST_FROM) continue;
    const entries = listing(join(root, dir));
    if (entries) listed.set(dir, entries);
  }
  const kinds = new Map<string, DiskKind>();
  return (path) => {
    let kind = kinds.get(path);
    if (kind === undefined) {
      const entries = listed.get(parentOf(path));
      kind =
        (entries ? (entries.get(nameIn(path)) ?? (entries.has(nameIn(path)) ? null : 'missing')) : null) ?? lstatKind(join(root, path));
      kinds.set(path, kind);
    }
    return kind;
  };
}
