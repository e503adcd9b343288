// A tree object's raw bytes as entries: names kept as their bytes (latin1 strings), since a tree
// may hold names that are not UTF-8 and an entry written back must be exactly as it was.
import type { ObjectFormat } from './object-format.js';

export interface TreeObjectEntry {
  mode: string;
  oid: string;
}

/** The entries of a tree's body ("<mode> <name>\0<binary id>" each), by name. */
export function parseTree(body: Buffer, format: ObjectFormat): Map<string, TreeObjectEntry> {
  const rawLength = format === 'sha1' ? 20 : 32; // binary ids
  const entries = new Map<string, TreeObjectEntry>();
  let p = 0;
  while (p < body.length) {
    const space = body.indexOf(0x20, p);
    const nul = body.indexOf(0x00, space);
    const mode = body.toString('latin1', p, space);
    const name = body.toString('latin1', space + 1, nul);
    entries.set(name, { mode, oid: body.toString('hex', nul + 1, nul + 1 + rawLength) });
    p = nul + 1 + rawLength;
  }
  return entries;
}
