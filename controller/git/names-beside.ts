// The names a new path could collide with: the entries of HEAD's root and of every directory on the
// way to the new paths, read through the object reader (no process), those trees only. A batch adding
// 50 files to a 100,000-file repository reads a few trees, not the whole index (docs/batch-format.md#what-validation-refuses).
import type { ObjectFormat } from './object-format.js';
import type { ObjectReader } from './object-reader.js';
import { parseTree, type TreeObjectEntry } from './tree-object.js';

const TREE_MODE = 0o40000;
const latin1 = (path: string): string => Buffer.from(path, 'utf8').toString('latin1');

/**
 * Paths of HEAD's entries in the root and in each of `dirs` that is a directory there (exact
 * spellings, without a trailing slash); every prefix of a returned path is an entry too. An unborn
 * HEAD has no entries.
 * @example await namesBeside({ reader, format: 'sha1', dirs: ['src', 'src/a'] }) // ['README.md', 'src', 'src/a', 'src/a/x.ts', …]
 */
export async function namesBeside({
  reader,
  format,
  dirs,
}: {
  reader: ObjectReader;
  format: ObjectFormat;
  dirs: readonly string[];
}): Promise<string[]> {
  const root = await reader.read('HEAD^{tree}');
  if (root === null) return [];
  // Each directory's entries (names as bytes), read a depth at a time: a directory's id is in its parent's.
  const trees = new Map<string, Map<string, TreeObjectEntry>>([['', parseTree(root.content, format)]]);
  const all = new Set<string>();
  for (const dir of dirs) for (let at = dir.indexOf('/'); at !== -1; at = dir.indexOf('/', at + 1)) all.add(dir.slice(0, at)); // the way to each
  for (const dir of dirs) if (dir !== '') all.add(dir);
  const wanted = [...all].sort((a, b) => a.split('/').length - b.split('/').length);
  for (let at = 0; at < wanted.length;) {
    const depth = (wanted[at] as string).split('/').length;
    const level: string[] = [];
    while (at < wanted.length && (wanted[at] as string).split('/').length === depth) level.push(wanted[at++] as string);
    const ids = level.map((dir) => {
      const slash = dir.lastIndexOf('/');
      const entry = trees.get(slash === -1 ? '' : dir.slice(0, slash))?.get(latin1(dir.slice(slash + 1)));
      return entry && Number.parseInt(entry.mode, 8) === TREE_MODE ? entry.oid : null;
    });
    const objects = await Promise.all(ids.map((id) => (id === null ? null : reader.read(id))));
    objects.forEach((object, i) => {
      if (object?.type === 'tree') trees.set(level[i] as string, parseTree(object.content, format));
    });
  }
  const names: string[] = [];
  for (const [dir, entries] of trees) {
    for (const name of entries.keys()) {
      const path = Buffer.from(name, 'latin1').toString('utf8');
      names.push(dir === '' ? path : `${dir}/${path}`);
    }
  }
  return names;
}
