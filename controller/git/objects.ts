// Single-object reads (HEAD, a ref, a commit) through the repository's one `git cat-file --batch`
// process (object-reader.ts), in a CLI command and a long-lived process alike. Measured in a
// long-lived process (docs/benchmarks.md, "Single-object reads"; 2,000 packed commits): 34 µs per
// readCommit, against 0.25–8 ms for isomorphic-git and 3.6 ms for a git process per read; the
// first read's spawn is 4.5 ms, against 40–90 ms to load isomorphic-git. isomorphic-git also reads
// neither SHA-256 repositories nor linked worktrees (their objects and refs are in the common
// directory, their HEAD is not), so one reader serving every layout is both the plain and the
// fast choice.
import { BatchctlError } from '../errors/index.js';
import type { ObjectReader } from './object-reader.js';

export interface CommitInfo {
  oid: string;
  tree: string;
  parents: string[];
  message: string;
}

/** The commit HEAD points at, or null on an unborn branch. */
export async function readHead(reader: ObjectReader): Promise<string | null> {
  return (await reader.read('HEAD'))?.oid ?? null;
}

/** The oid a ref points at (not peeled), or null when absent. */
export async function readRef(reader: ObjectReader, ref: string): Promise<string | null> {
  return (await reader.read(ref))?.oid ?? null;
}

/** A file's text as `commit` holds it, or null when the commit has no file there. */
export async function readFileAt(reader: ObjectReader, commit: string, path: string): Promise<string | null> {
  const object = await reader.read(`${commit}:${path}`);
  return object?.type === 'blob' ? object.content.toString('utf8') : null;
}

/** One commit's tree, parents and message. */
export async function readCommit(reader: ObjectReader, oid: string): Promise<CommitInfo> {
  const object = await reader.read(oid);
  if (object?.type !== 'commit') {
    throw new BatchctlError({
      code: 'GIT_FAILED',
      message: object ? `${oid} is a ${object.type}, not a commit` : `no commit ${oid} in the repository`,
      data: { oid, type: object?.type ?? null },
    });
  }
  return parseCommit(oid, object.content.toString('utf8'));
}

function parseCommit(oid: string, text: string): CommitInfo {
  const split = text.indexOf('\n\n');
  const headers = (split === -1 ? text : text.slice(0, split)).split('\n');
  const tree = headers.find((line) => line.startsWith('tree '))?.slice(5);
  if (!tree) throw new Error(`commit ${oid} has no tree`);
  const parents = headers.filter((line) => line.startsWith('parent ')).map((line) => line.slice(7));
  return { oid, tree, parents, message: split === -1 ? '' : text.slice(split + 2) };
}
