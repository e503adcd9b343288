// Building a commit with plumbing (docs/lifecycle.md#how-batchctl-drives-git): hash only the batch's files, then commit-tree and tag
// (the tree itself comes from tree-edit.ts). Nothing here looks at files the batch did not touch.
import { createHash } from 'node:crypto';

import { zeroOid, type ObjectFormat } from './object-format.js';
import type { GitIdentity, GitRunner } from './runner.js';
import { writeUnverified } from './write-unverified.js';

/** One path of the new tree: its blob and mode, or `null` to remove it. */
export interface TreeChange {
  path: string;
  entry: { mode: string; oid: string } | null;
}

/** From this many steps on, a batch streams the blobs it writes into one pack (blob-pack.ts). */
export const PACK_FROM_FILES = 1000;

/**
 * Write files of the work tree as blobs, as they are on disk (`--no-filters`: no clean filter
 * runs). What a large batch wrote is in its blob pack already; this is for the rest.
 */
export async function hashFiles(git: GitRunner, paths: readonly string[]): Promise<string[]> {
  if (paths.length === 0) return [];
  const { stdout } = await git.exec(['hash-object', '-w', '--no-filters', '--stdin-paths'], {
    input: paths.join('\n') + '\n',
  });
  const oids = stdout.toString('utf8').trim().split('\n');
  if (oids.length !== paths.length) throw new Error(`hash-object returned ${oids.length} ids for ${paths.length} paths`);
  return oids;
}

/**
 * Store bytes as a blob (`hash-object -w --stdin`), for content that is not in the work tree yet.
 * The id is checked against the bytes' own: content cut short on its way to git is not stored as them.
 */
export async function hashBlob(
  git: GitRunner,
  { content, objectFormat }: { content: string | Buffer; objectFormat: ObjectFormat },
): Promise<string> {
  const oid = await git.text(['hash-object', '-w', '--no-filters', '--stdin'], { input: content });
  const expected = blobId({ content, objectFormat });
  if (oid !== expected) throw writeUnverified({ what: 'git hash-object stored other bytes than it was given', data: { oid, expected } });
  return oid;
}

/** The id a blob of these bytes has, computed here (nothing is stored): for comparing content with a blob's id. */
export function blobId({ content, objectFormat }: { content: string | Buffer; objectFormat: ObjectFormat }): string {
  const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  return createHash(objectFormat).update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
}

/** Read blobs by id in one process (`cat-file --batch`), for restoring paths to HEAD. */
export async function readBlobs(git: GitRunner, oids: readonly string[]): Promise<Map<string, Buffer>> {
  const unique = [...new Set(oids)];
  const blobs = new Map<string, Buffer>();
  if (unique.length === 0) return blobs;
  const { stdout } = await git.exec(['cat-file', '--batch'], { input: unique.join('\n') + '\n' });
  let offset = 0;
  for (const oid of unique) {
    const newline = stdout.indexOf(0x0a, offset);
    const header = stdout.subarray(offset, newline).toString('utf8'); // "<oid> blob <size>"
    const size = Number(header.split(' ')[2]);
    if (!Number.isInteger(size)) throw new Error(`cat-file: unexpected header "${header}" for ${oid}`);
    blobs.set(oid, stdout.subarray(newline + 1, newline + 1 + size));
    offset = newline + 1 + size + 1; // content, then a newline
  }
  return blobs;
}

/** Entries per write to update-index: the input for 100,000 paths is never one 8 MB string. */
const INDEX_INFO_CHUNK = 4096;

/** Apply changes to an index file (the real one when `indexFile` is undefined). */
export async function updateIndex(
  git: GitRunner,
  { changes, objectFormat, indexFile }: { changes: readonly TreeChange[]; objectFormat: ObjectFormat; indexFile?: string },
): Promise<void> {
  if (changes.length === 0) return;
  // A removal still names an id, of the repository's length (a 40-digit one breaks SHA-256).
  const remove = zeroOid(objectFormat);
  const child = git.stream(['update-index', '-z', '--index-info'], indexFile ? { env: { GIT_INDEX_FILE: indexFile } } : {});
  for (let at = 0; at < changes.length; at += INDEX_INFO_CHUNK) {
    // `--index-info -z`: "<mode> <oid>\t<path>\0"; mode 0 removes the path.
    let chunk = '';
    for (const { path, entry } of changes.slice(at, at + INDEX_INFO_CHUNK)) {
      chunk += entry ? `${entry.mode} ${entry.oid}\t${path}\0` : `0 ${remove}\t${path}\0`;
    }
    child.write(chunk);
  }
  await child.end();
}

export interface CommitInput {
  tree: string;
  parent: string | null;
  message: string;
  author: GitIdentity;
  committer: GitIdentity;
  /** seconds since the epoch; fixed so retries produce the same commit */
  time: number;
}

/** A commit object (not yet on any branch). */
export async function commitTree(git: GitRunner, input: CommitInput): Promise<string> {
  const { tree, parent, message, author, committer, time } = input;
  const date = `${time} +0000`;
  return git.text(['commit-tree', tree, ...(parent ? ['-p', parent] : []), '-F', '-'], {
    input: message,
    env: {
      GIT_AUTHOR_NAME: author.name,
      GIT_AUTHOR_EMAIL: author.email,
      GIT_AUTHOR_DATE: date,
      GIT_COMMITTER_NAME: committer.name,
      GIT_COMMITTER_EMAIL: committer.email,
      GIT_COMMITTER_DATE: date,
    },
  });
}

export interface TagInput {
  name: string;
  commit: string;
  message: string;
  tagger: GitIdentity;
  time: number;
}

/** The tag object's bytes, as `git mktag` stores them (verbatim). */
export function tagBody({ name, commit, message, tagger, time }: TagInput): string {
  return `object ${commit}\ntype commit\ntag ${name}\ntagger ${tagger.name} <${tagger.email}> ${time} +0000\n\n${message}\n`;
}

/** An annotated tag object (validated by `git mktag`), not yet referenced. */
export async function makeTag(git: GitRunner, input: TagInput): Promise<string> {
  return git.text(['mktag'], { input: tagBody(input) });
}
