// The index entries `update-index --index-info` was given, read back (docs/lifecycle.md#durability-and-concurrency):
// git takes input cut short as the whole of it and exits 0, which would leave the batch's paths
// staged as their reverts (a later `git commit` would commit them as the user's).
import type { TreeChange } from './plumbing.js';
import type { GitRunner } from './runner.js';
import { listIndexEntries, type IndexEntry } from './worktree-state.js';
import { writeUnverified } from './write-unverified.js';

/**
 * Throws GIT_WRITE_UNVERIFIED naming the paths whose index entry is not the one given. `entriesOf`:
 * the index's stage-0 entries for exactly these paths, as they are now (Git.indexEntries).
 */
export async function expectIndexEntries(
  git: GitRunner,
  { changes, entriesOf }: { changes: readonly TreeChange[]; entriesOf: (paths: readonly string[]) => Promise<Map<string, IndexEntry>> },
): Promise<void> {
  if (changes.length === 0) return;
  const entries = await entriesOf(changes.map((c) => c.path));
  const wrong = changes.filter(({ path, entry }) => {
    const now = entries.get(path);
    return entry ? now?.oid !== entry.oid || now.mode !== canonicalMode(entry.mode) : now !== undefined;
  });
  if (wrong.length > 0) {
    const bogus = await removeCutEntry(git, wrong[0] as TreeChange);
    throw writeUnverified({
      what: 'git update-index left index entries other than the ones it was given',
      data: { paths: wrong.slice(0, 20).map((c) => c.path), count: wrong.length, removed: bogus },
    });
  }
}

/** The mode the index stores for a tree's mode (git's canon_mode: an old tree's 100664 is 100644). */
function canonicalMode(mode: string): string {
  const bits = Number.parseInt(mode, 8);
  if ((bits & 0o170000) !== 0o100000) return mode;
  return bits & 0o100 ? '100755' : '100644';
}

/**
 * Input cut inside a path is taken as a whole record: "100644 <id>\tdir/ne" adds `dir/ne`. The
 * first change git did not take is the one it was cut in: an entry at a prefix of its path, with
 * its id and mode, is that debris, and is removed (a user's own entry there would not have them).
 */
async function removeCutEntry(git: GitRunner, cut: TreeChange): Promise<string[]> {
  if (!cut.entry) return [];
  const prefixes: string[] = [];
  for (let end = 1; end < cut.path.length; end++) if (cut.path[end - 1] !== '/') prefixes.push(cut.path.slice(0, end));
  if (prefixes.length === 0) return [];
  const found = await listIndexEntries(git, prefixes, 0);
  const debris = prefixes.filter((path) => {
    const entry = found.get(path);
    return entry !== undefined && entry.oid === cut.entry?.oid && entry.mode === canonicalMode(cut.entry.mode);
  });
  if (debris.length > 0) await git.exec(['update-index', '--force-remove', '--', ...debris]);
  return debris;
}
