// A tree's id computed here, from the entries given to `mktree`: a tree git wrote from input cut
// short (it exits 0 on a cut at an entry's end) has another id, and is not used
// (docs/lifecycle.md#durability-and-concurrency).
import { createHash } from 'node:crypto';

import type { ObjectFormat } from './object-format.js';

/** One entry as mktree takes it: its mode as octal text, its object's hex id. */
export interface TreeEntryInput {
  mode: string;
  oid: string;
}

// mktree writes a mode as given, in "%o" (040000 as 40000; an old tree's 100664 stays), unlike the index.
const isTreeMode = (mode: string): boolean => Number.parseInt(mode, 8) === 0o40000;

/**
 * The id `git mktree` gives these entries. `entries` maps each name, as its bytes (a latin1
 * string), to its entry; git sorts them with a directory's name compared as if it ended in "/".
 * @example treeId(new Map([['a.txt', { mode: '100644', oid }]]), 'sha1')
 */
export function treeId(entries: ReadonlyMap<string, TreeEntryInput>, format: ObjectFormat): string {
  const sorted = [...entries].map(([name, e]) => ({ key: isTreeMode(e.mode) ? `${name}/` : name, name, e }));
  // latin1 strings compare as their bytes; a name that ends sorts before any longer one
  sorted.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const parts: Buffer[] = [];
  for (const { name, e } of sorted) {
    parts.push(Buffer.from(`${Number.parseInt(e.mode, 8).toString(8)} ${name}\0`, 'latin1'), Buffer.from(e.oid, 'hex'));
  }
  const body = Buffer.concat(parts);
  return createHash(format).update(`tree ${body.length}\0`).update(body).digest('hex');
}
