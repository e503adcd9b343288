// A commit's tree with some paths changed, written without an index (docs/lifecycle.md#how-batchctl-drives-git: cost with the batch,
// not the repository). Only the trees on the way to a changed path are read (through the object
// reader's one long-lived `cat-file --batch`) and written again (one `mktree --batch` for all of
// them: each tree's id is computed here, so a parent can name its new child before git has written
// it); every other tree is shared with the parent as it is. Seeding a temporary index instead costs
// a read and a write of every entry in the repository: 0.16 s at 100,000 files, for a 50-file batch.
import type { ObjectFormat } from './object-format.js';
import type { ObjectReader } from './object-reader.js';
import type { TreeChange } from './plumbing.js';
import type { GitRunner } from './runner.js';
import { treeId } from './tree-id.js';
import { parseTree, type TreeObjectEntry as Entry } from './tree-object.js';
import { writeUnverified } from './write-unverified.js';

const TREE_MODE = '40000';
/** A path that is all ASCII is its own byte string: no conversion needed. */
const ASCII = /^[\x00-\x7f]*$/;

/** Directories from the root down: '' is the root, 'a/b' is at depth 2. */
function depthOf(dir: string): number {
  return dir === '' ? 0 : dir.split('/').length;
}

function parentOf(dir: string): string {
  const slash = dir.lastIndexOf('/');
  return slash === -1 ? '' : dir.slice(0, slash);
}

function nameIn(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

function typeOf(mode: string): string {
  if (mode === TREE_MODE || mode === '040000') return 'tree';
  return mode === '160000' ? 'commit' : 'blob';
}

/** A tree to write, and the id its entries make (treeId). */
interface Written {
  entries: Map<string, Entry>;
  oid: string;
}

/** Writes trees with one `mktree --batch`, and proves each is stored as the id computed for it. */
async function writeTrees({ git, reader }: { git: GitRunner; reader: ObjectReader }, written: readonly Written[]): Promise<void> {
  // An empty root is the only empty tree written; --batch would not tell it from a separator.
  const emptyRoot = written.length === 1 && written[0]?.entries.size === 0;
  // --missing: a blob may still be on its way into the batch's pack (git/blob-pack.ts); the commit
  // waits for the pack to be sealed, and its ids checked, before any ref names these trees.
  const mktree = git.stream(emptyRoot ? ['mktree', '--missing'] : ['mktree', '--missing', '-z', '--batch']);
  // Written a tree at a time: 100,000 entries as one string and one Buffer were 16 MB at the peak.
  written.forEach(({ entries }, i) => {
    let text = i === 0 ? '' : '\0';
    for (const [name, e] of entries) text += `${e.mode} ${typeOf(e.mode)} ${e.oid}\t${name}\0`;
    mktree.write(Buffer.from(text, 'latin1'));
  });
  const { stdout } = await mktree.end();
  const oids = stdout.toString('utf8').trim().split('\n');
  // Each id is checked against the one its entries make: input cut at an entry's end is taken by
  // mktree as the whole (docs/lifecycle.md#durability-and-concurrency).
  const wrong = written.flatMap(({ oid }, i) => (oids[i] === oid ? [] : [{ index: i, printed: oids[i] ?? null }]));
  if (oids.length !== written.length || wrong.length > 0) {
    throw writeUnverified({
      what: 'git mktree wrote trees other than the ones asked for',
      data: { asked: written.length, wrong: wrong.slice(0, 20) },
    });
  }
  // mktree prints an id and exits 0 when it could not write the object (a full disk): no commit
  // may name a tree that is not stored. Asked of the object reader: no process of its own.
  const found = await Promise.all(written.map(({ oid }) => reader.read(oid)));
  const missing = written.flatMap(({ oid }, i) => (found[i]?.type === 'tree' ? [] : [{ oid, type: 'tree' }]));
  if (missing.length > 0) {
    throw writeUnverified({ what: 'git mktree printed ids of objects that are not stored', data: { missing: missing.slice(0, 20) } });
  }
}

export interface EditTreeArgs {
  git: GitRunner;
  /** the repository's object reader: the trees on the way are read through it, and the ones written read back */
  reader: ObjectReader;
  format: ObjectFormat;
  /** a commit or tree id; null: the empty tree */
  base: string | null;
  changes: readonly TreeChange[];
}

/**
 * The tree of `base` with `changes` applied.
 * @example const tree = await editTree({ git: runner, reader, format: 'sha1', base: head, changes: [{ path: 'a/b.txt', entry: { mode: '100644', oid } }] });
 */
export async function editTree({ git, reader, format, base, changes }: EditTreeArgs): Promise<string> {
  // Names are handled as their bytes (latin1 strings): a tree may hold names that are not UTF-8,
  // and an entry the batch does not change must be written back exactly as it was.
  const fileChanges = new Map<string, Map<string, Entry | null>>();
  const dirs = new Set<string>(['']);
  for (const change of changes) {
    const path = ASCII.test(change.path) ? change.path : Buffer.from(change.path, 'utf8').toString('latin1');
    const { entry } = change;
    const dir = parentOf(path);
    let inDir = fileChanges.get(dir);
    if (!inDir) fileChanges.set(dir, (inDir = new Map()));
    inDir.set(nameIn(path), entry);
    for (let d = dir; d !== ''; d = parentOf(d)) {
      if (dirs.has(d)) break;
      dirs.add(d);
    }
  }
  const levels: string[][] = [];
  const children = new Map<string, string[]>();
  for (const dir of dirs) {
    (levels[depthOf(dir)] ??= []).push(dir);
    if (dir === '') continue;
    const siblings = children.get(parentOf(dir));
    if (siblings) siblings.push(dir);
    else children.set(parentOf(dir), [dir]);
  }

  // Read the existing trees level by level: a directory's id is in its parent's entries.
  const before = new Map<string, Map<string, Entry>>();
  for (const [depth, level] of levels.entries()) {
    const ids = level.map((dir) => {
      if (depth === 0) return base === null ? null : `${base}^{tree}`;
      const entry = before.get(parentOf(dir))?.get(nameIn(dir));
      return entry && typeOf(entry.mode) === 'tree' ? entry.oid : null;
    });
    const objects = await Promise.all(ids.map((id) => (id === null ? null : reader.read(id))));
    objects.forEach((object, i) => {
      if (ids[i] === null) return;
      if (object?.type !== 'tree') throw new Error(`cat-file: expected a tree at ${ids[i]}, got ${object?.type ?? 'nothing'}`);
      before.set(level[i] as string, parseTree(object.content, format));
    });
  }

  // The new trees from the deepest level up, each id computed here; an emptied directory disappears
  // from its parent. All are written by one mktree, children before their parents.
  const after = new Map<string, string | null>();
  const written: Written[] = [];
  for (let depth = levels.length - 1; depth >= 0; depth--) {
    for (const dir of levels[depth] ?? []) {
      const entries = new Map(before.get(dir));
      for (const [name, entry] of fileChanges.get(dir) ?? []) {
        if (entry === null) entries.delete(name);
        else entries.set(name, entry);
      }
      for (const child of children.get(dir) ?? []) {
        const name = nameIn(child);
        const oid = after.get(child) ?? null;
        if (oid !== null) {
          const there = entries.get(name);
          if (there && typeOf(there.mode) !== 'tree') throw new Error(`${child} is both a file and a directory in the new tree`);
          entries.set(name, { mode: TREE_MODE, oid });
        } else if (entries.get(name)?.mode === TREE_MODE) {
          entries.delete(name); // emptied; a file the batch put at that name stays
        }
      }
      if (entries.size === 0 && dir !== '') {
        after.set(dir, null);
        continue;
      }
      const oid = treeId(entries, format);
      after.set(dir, oid);
      written.push({ entries, oid });
    }
  }
  const root = after.get('');
  if (!root) throw new Error('no root tree written');
  await writeTrees({ git, reader }, written);
  return root;
}
