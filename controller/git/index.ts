// git/: the only code that runs git. `openGit` binds every operation to one repository.
import { namesBeside } from './names-beside.js';
import { batchCommits, changesOf, refsUnder, type HistoryCommit } from './batch-history.js';
import { writeContentTree, type ContentEntry } from './content-tree.js';
import { diffStat, type FileStat } from './diff-stat.js';
import { batchIdsOnHead, blobsAt, lastTouchers, workTreeChanges, type PathToucher, type WorkTreeChange } from './drift-pass.js';
import { commitChanges, commitsWithTrailer, mergeFile, type PathChange } from './history.js';
import { expectIndexEntries } from './index-check.js';
import { readIndexEntries } from './index-file.js';
import { openObjectReader } from './object-reader.js';
import { readCommit, readFileAt, readHead, readRef, type CommitInfo } from './objects.js';
import {
  blobId,
  commitTree,
  hashBlob,
  hashFiles,
  makeTag,
  PACK_FROM_FILES,
  readBlobs,
  updateIndex,
  type CommitInput,
  type TreeChange,
} from './plumbing.js';
import { resolveCommit, updateRefs, type RefUpdate } from './refs.js';
import { renamesSince } from './renames.js';
import { deepenHistory, fetchTag, historyRemote, shallowBoundary, shallowFile } from './shallow.js';
import { cachedUpstream } from './upstream-cache.js';
import type { ObjectFormat } from './object-format.js';
import { locateRepository } from './repository.js';
import { moveTag } from './tag-move.js';
import { editTree } from './tree-edit.js';
import { expectCommit, expectTag } from './written-objects.js';
import { createRunner, type GitIdentity, type GitRunner } from './runner.js';
import {
  ignoredPaths,
  indexEntryCount,
  listIndexEntries,
  listTrackedUnder,
  pathStates,
  treeEntries,
  type IndexEntry,
  type PathState,
} from './worktree-state.js';

export { openBlobPack, type BlobPack } from './blob-pack.js';
export { zeroOid, type ObjectFormat } from './object-format.js';
export { PACK_FROM_FILES };
export { GitError } from './git-error.js';
export type { RefUpdate } from './refs.js';
export { formatTrailers, parseTrailers } from './trailers.js';
export { leaveProposalBranch, startProposalBranch } from './proposal-branch.js';
export { legacyBatchCommits, type LegacyCommit } from './legacy-search.js';
export { createRunner, type GitIdentity, type GitRunner } from './runner.js';
export { changedPaths, fetchUpstream, isAncestor, pushAtomic, tagsBetween, upstreamOf, type PushOutcome, type Upstream } from './remote.js';
import type { Upstream } from './remote.js';
export type {
  CommitInfo,
  CommitInput,
  ContentEntry,
  FileStat,
  HistoryCommit,
  IndexEntry,
  PathChange,
  PathState,
  PathToucher,
  TreeChange,
  WorkTreeChange,
};

export interface Git {
  readonly root: string;
  readonly gitDir: string;
  readonly objectFormat: ObjectFormat;
  readonly runner: GitRunner;
  readonly identity: GitIdentity;
  head(): Promise<string | null>;
  readCommit(oid: string): Promise<CommitInfo>;
  readRef(ref: string): Promise<string | null>;
  /** a file's text at a commit (read through the object reader, no process), or null when absent */
  fileAt(commit: string, path: string): Promise<string | null>;
  resolveCommit(ref: string): Promise<string | null>;
  indexEntries(paths: readonly string[]): Promise<Map<string, IndexEntry>>;
  treeEntries(commit: string, paths: readonly string[]): Promise<Map<string, IndexEntry>>;
  trackedUnder(prefixes: readonly string[]): Promise<string[]>;
  /** HEAD's entries in the root and in each of `dirs`: what a new path beside them could collide with */
  namesBeside(dirs: readonly string[]): Promise<string[]>;
  /** `isTracked`: the caller's index lookup, so many tracked paths can share one whole-index pass */
  pathStates(paths: readonly string[], isTracked?: (path: string) => boolean): Promise<Map<string, PathState>>;
  ignored(paths: readonly string[]): Promise<Set<string>>;
  hashFiles(paths: readonly string[]): Promise<string[]>;
  hashBlob(content: string | Buffer): Promise<string>;
  /** the id `hashBlob` would give these bytes, computed here without storing them (for comparisons only) */
  blobId(content: string | Buffer): string;
  readBlobs(oids: readonly string[]): Promise<Map<string, Buffer>>;
  /** the entries' bytes as blobs under one flat tree (content-tree.ts): the tree and each blob id, in order */
  writeContentTree(entries: Iterable<ContentEntry>): Promise<{ tree: string; oids: string[] }>;
  /** the tree of `parent` (a commit; null: none) with `changes` applied (tree-edit.ts) */
  writeTree(args: { parent: string | null; changes: readonly TreeChange[] }): Promise<string>;
  commitTree(input: CommitInput): Promise<string>;
  makeTag(args: { name: string; commit: string; message: string; tagger: GitIdentity; time: number }): Promise<string>;
  /** move a tag from `fromCommit` to `commit`, compare-and-swap, keeping its message and tagger (tag-move.ts) */
  moveTag(args: { name: string; commit: string; fromCommit: string }): Promise<string>;
  /** one compare-and-swap transaction; HEAD_MOVED only when a ref is not at its expected old value (refs.ts) */
  updateRefs(updates: readonly RefUpdate[], reason: string): Promise<void>;
  /** refresh the real index for these paths only: the user's other staged work stays */
  updateIndex(changes: readonly TreeChange[]): Promise<void>;
  commitChanges(commit: string): Promise<PathChange[]>;
  /** the lines each path of `commit` added and deleted against its first parent (diff-stat.ts) */
  diffStat(commit: string): Promise<FileStat[]>;
  /** each of `sources` (paths in `base`) renamed away by `head`, with its new path (renames.ts) */
  renamesSince(args: { base: string; head: string; sources: readonly string[] }): Promise<Map<string, string>>;
  commitsWithTrailer(args: { key: string; value: string; ref?: string }): Promise<string[]>;
  mergeFile(files: { ours: string; base: string; theirs: string }): Promise<Buffer | null>;
  batchCommits(): Promise<HistoryCommit[]>;
  refsUnder(prefixes: readonly string[]): Promise<Map<string, string>>;
  changesOf(commits: readonly string[]): Promise<Map<string, PathChange[]>>;
  /** path → blob id of every file at `commit`, one `ls-tree -r` (drift-pass.ts) */
  blobsAt(commit: string): Promise<Map<string, string>>;
  /** the newest commit on `head` that changed each of `paths`, one path-limited `log` (drift-pass.ts) */
  lastTouchers(args: { head: string; paths: readonly string[] }): Promise<Map<string, PathToucher>>;
  /** which of `paths` differ from HEAD in the index or work tree, one `status --porcelain=v2` (drift-pass.ts) */
  workTreeChanges(paths: ReadonlySet<string>): Promise<Map<string, WorkTreeChange>>;
  /** the Batch-Id trailer values of the commits on `head`, one `log --grep` (drift-pass.ts) */
  batchIdsOnHead(head: string): Promise<string[]>;
  /** commits whose parents this (shallow) clone lacks; empty for a complete clone (shallow.ts) */
  shallowBoundary(): Promise<Set<string>>;
  /** the branch's upstream (remote.ts upstreamOf), asked of git again only when HEAD's branch or a config file changed (upstream-cache.ts) */
  upstream(): Promise<Upstream | null>;
  /** where missing history can be fetched from (the upstream's remote, else origin), or null */
  historyRemote(): Promise<string | null>;
  deepenHistory(args: { remote: string; by: number | 'all' }): Promise<void>;
  fetchTag(args: { remote: string; tag: string }): Promise<boolean>;
  /** ends the object reader's git process (object-reader.ts); a single-object read after this fails */
  close(): Promise<void>;
}

/**
 * Bind git to the repository that contains `dir`.
 * @example const git = await openGit({ dir: process.cwd(), identity: { name: 'batchctl', email: 'batchctl@localhost' } })
 */
export async function openGit({ dir, identity }: { dir: string; identity: GitIdentity }): Promise<Git> {
  const { root, gitDir, commonDir, objectFormat } = await locateRepository(createRunner({ cwd: dir, identity }));
  const runner = createRunner({ cwd: root, identity });
  const reader = openObjectReader(runner);
  // read from the file itself when its layout allows (index-file.ts), else asked of git
  const scratch = { buffer: null, busy: false };
  const indexEntries = async (paths: readonly string[]): Promise<Map<string, IndexEntry>> =>
    (await readIndexEntries({ gitDir, format: objectFormat, paths, scratch })) ?? listIndexEntries(runner, paths, indexEntryCount(gitDir));
  let shallowAt: Promise<string> | null = null; // the file's path is fixed for a repository: asked once
  const shallowPath = (): Promise<string> =>
    (shallowAt ??= shallowFile(runner).catch((error: unknown) => {
      shallowAt = null;
      throw error;
    }));
  const upstream = cachedUpstream({ git: runner, gitDir, commonDir });
  return {
    root,
    gitDir,
    objectFormat,
    runner,
    identity,
    head: () => readHead(reader),
    readCommit: (oid) => readCommit(reader, oid),
    fileAt: (commit, path) => readFileAt(reader, commit, path),
    readRef: (ref) => readRef(reader, ref),
    resolveCommit: (ref) => resolveCommit(runner, ref),
    indexEntries,
    treeEntries: (commit, paths) => treeEntries(runner, commit, paths, indexEntryCount(gitDir)),
    trackedUnder: (prefixes) => listTrackedUnder(runner, prefixes),
    namesBeside: (dirs) => namesBeside({ reader, format: objectFormat, dirs }),
    pathStates: (paths, isTracked) =>
      pathStates(runner, paths, { indexSize: indexEntryCount(gitDir), ...(isTracked ? { isTracked } : {}) }),
    ignored: (paths) => ignoredPaths(runner, paths),
    hashFiles: (paths) => hashFiles(runner, paths),
    hashBlob: (content) => hashBlob(runner, { content, objectFormat }),
    blobId: (content) => blobId({ content, objectFormat }),
    readBlobs: (oids) => readBlobs(runner, oids),
    writeContentTree: (entries) => writeContentTree(runner, objectFormat, entries),
    writeTree: ({ parent, changes }) => editTree({ git: runner, reader, format: objectFormat, base: parent, changes }),
    // read back before anything names them (written-objects.ts)
    commitTree: async (input) => expectCommit(reader, { oid: await commitTree(runner, input), input }),
    makeTag: async (input) => expectTag(reader, { oid: await makeTag(runner, input), input }),
    moveTag: (args) => moveTag(runner, { ...args, objectFormat, readRef: (ref) => readRef(reader, ref) }),
    updateRefs: (updates, reason) => updateRefs(runner, { updates, reason, objectFormat, readRef: (ref) => readRef(reader, ref) }),
    updateIndex: async (changes) => {
      await updateIndex(runner, { changes, objectFormat });
      await expectIndexEntries(runner, { changes, entriesOf: indexEntries }); // index-check.ts
    },
    commitChanges: (commit) => commitChanges(runner, commit),
    diffStat: (commit) => diffStat(runner, commit),
    renamesSince: (args) => renamesSince(runner, args),
    commitsWithTrailer: (args) => commitsWithTrailer(runner, args),
    mergeFile: (files) => mergeFile(runner, files),
    batchCommits: () => batchCommits(runner),
    refsUnder: (prefixes) => refsUnder(runner, prefixes),
    changesOf: (commits) => changesOf(runner, commits),
    blobsAt: (commit) => blobsAt(runner, commit),
    lastTouchers: (args) => lastTouchers(runner, args),
    workTreeChanges: (paths) => workTreeChanges(runner, { paths, objectFormat }),
    batchIdsOnHead: (head) => batchIdsOnHead(runner, head),
    shallowBoundary: async () => shallowBoundary(await shallowPath()),
    upstream,
    historyRemote: () => historyRemote(runner),
    deepenHistory: (args) => deepenHistory(runner, args),
    fetchTag: (args) => fetchTag(runner, args),
    close: () => reader.close(),
  };
}
