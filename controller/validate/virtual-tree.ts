// The repository as the batch will leave it, path by path, built up op by op during validation so
// each rule sees the effect of the operations before it (write then replace, move then copy, ...).
import type { Facts } from './facts.js';

export interface VirtualEntry {
  exists: boolean;
  kind: 'file' | 'symlink';
  /** tracked in the index before the batch */
  tracked: boolean;
  /** the blob id when known (unchanged, or copied from a known blob); null once the batch edits it */
  oid: string | null;
  mode: string | null;
  /** op index of the operation that created this path in the batch */
  createdBy: number | null;
  /** op index of the operation that deleted (or moved away) this path in the batch */
  deletedBy: number | null;
  /** where the bytes come from when unchanged: the pre-batch path (for symlink targets, replace checks) */
  origin: string | null;
}

export class VirtualTree {
  private readonly entries = new Map<string, VirtualEntry>();
  /** directories that batch-created files live in, so "target is a directory" sees them */
  private readonly batchDirs = new Set<string>();

  constructor(private readonly facts: Facts) {}

  get(path: string): VirtualEntry {
    const known = this.entries.get(path);
    if (known) return known;
    const indexEntry = this.facts.index.get(path);
    if (indexEntry) {
      return {
        exists: true,
        kind: indexEntry.mode === '120000' ? 'symlink' : 'file',
        tracked: true,
        oid: indexEntry.oid,
        mode: indexEntry.mode,
        createdBy: null,
        deletedBy: null,
        origin: path,
      };
    }
    const onDisk = this.facts.states.has(path) || this.facts.disk(path) === 'file' || this.facts.disk(path) === 'symlink';
    return {
      exists: onDisk,
      kind: this.facts.disk(path) === 'symlink' ? 'symlink' : 'file',
      tracked: false,
      oid: null,
      mode: null,
      createdBy: null,
      deletedBy: null,
      origin: onDisk ? path : null,
    };
  }

  /** True when the batch, or the disk, has files below `path`. */
  isDirectory(path: string): boolean {
    if (this.batchDirs.has(path)) return true;
    return !this.entries.has(path) && this.facts.disk(path) === 'dir';
  }

  /** Paths the batch created so far that still exist (for globs later in the batch). */
  *created(): IterableIterator<string> {
    for (const [path, entry] of this.entries) if (entry.exists && entry.createdBy !== null) yield path;
  }

  set(path: string, entry: VirtualEntry): void {
    this.entries.set(path, entry);
    if (entry.exists) {
      let slash = path.lastIndexOf('/');
      while (slash > 0) {
        const dir = path.slice(0, slash);
        if (this.batchDirs.has(dir)) break;
        this.batchDirs.add(dir);
        slash = dir.lastIndexOf('/');
      }
    }
  }
}
