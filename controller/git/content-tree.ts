// Bytes kept in git rather than SQLite (the content of writes a batch did not land, for `retry`):
// the blobs go into one pack (blob-pack.ts), then one flat tree names them, for a ref to pin.
import { openBlobPack } from './blob-pack.js';
import type { ObjectFormat } from './object-format.js';
import { expectObjects } from './object-presence.js';
import type { GitRunner } from './runner.js';
import { treeId } from './tree-id.js';
import { writeUnverified } from './write-unverified.js';

/** One tree entry: new bytes, or a blob git has already. Names are unique, without `/`. */
export type ContentEntry = { name: string; bytes: Buffer } | { name: string; oid: string };

/** mktree input written this many entries at a time: 100,000 entries are never one string. */
const ENTRIES_PER_WRITE = 4096;

/**
 * Stores the entries' bytes and a tree of them; returns the tree and each entry's blob id, in order.
 * `entries` is walked once, so a generator keeps only the bytes fast-import has not taken yet.
 * @example const { tree, oids } = await writeContentTree(runner, 'sha1', [{ name: '0', bytes }]);
 */
export async function writeContentTree(
  git: GitRunner,
  format: ObjectFormat,
  entries: Iterable<ContentEntry>,
): Promise<{ tree: string; oids: string[] }> {
  const pack = openBlobPack(git, format);
  const names: string[] = [];
  const oids: Array<string | number> = []; // a known id, or the pack's mark for new bytes
  try {
    for (const entry of entries) {
      names.push(entry.name);
      oids.push('oid' in entry ? entry.oid : pack.add(entry.bytes));
      await pack.backlog();
    }
    await pack.seal(oids.filter((o): o is number => typeof o === 'number'));
  } catch (error) {
    await pack.abort();
    throw error;
  }
  const ids = oids.map((o) => (typeof o === 'number' ? pack.idOf(o) : o));
  const mktree = git.stream(['mktree', '-z']);
  for (let at = 0; at < names.length; at += ENTRIES_PER_WRITE) {
    let chunk = '';
    for (let i = at; i < Math.min(at + ENTRIES_PER_WRITE, names.length); i++) chunk += `100644 blob ${ids[i]}\t${names[i]}\0`;
    mktree.write(chunk);
  }
  const { stdout } = await mktree.end();
  const tree = stdout.toString('utf8').trim();
  // As for a batch's trees (tree-edit.ts): the tree of these entries, and stored, before a ref pins it.
  const asked = treeId(
    new Map(names.map((name, i) => [Buffer.from(name, 'utf8').toString('latin1'), { mode: '100644', oid: ids[i] as string }])),
    format,
  );
  if (tree !== asked)
    throw writeUnverified({ what: 'git mktree wrote a tree other than the one asked for', data: { printed: tree, asked } });
  await expectObjects(git, { objects: [{ oid: tree, type: 'tree' }], what: 'git mktree' });
  return { tree, oids: ids };
}
