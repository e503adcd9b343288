// Step 7, commit: only the batch's paths, via plumbing (only the trees on the way to them are
// rewritten), then HEAD, the tag and the backup ref in one compare-and-swap transaction (docs/lifecycle.md#the-steps-of-a-run, §12). The journal records the new
// commit first, so a crash at any instant is recoverable either way.

import { BACKUP_REF_PREFIX, TAG_PREFIX, type JournalRecord } from '../../domain/index.js';
import { BatchctlError } from '../../errors/index.js';
import type { BlobPack, Git, RefUpdate, TreeChange } from '../../git/index.js';
import { gitLocksFor, removeRunGitLocks, writeJournal } from '../../journal/index.js';
import { materializePaths } from '../restore-paths.js';
import type { RuntimeState } from '../../ops/index.js';

export interface CommitArgs {
  git: Git;
  stateDir: string;
  journal: JournalRecord;
  /** the batch's paths as the new tree has them (batchTreeChanges) */
  changes: TreeChange[];
  /** settles once every object the changes name is stored (the blob pack sealed): awaited before publishing or moving a ref */
  objectsStored?: Promise<void>;
  batchId: string;
  /** the message, once the tree is known (the signature covers it) */
  messageFor: (tree: string, parent: string | null) => string;
  tagMessage: string;
  /** more tags on the commit (rollback/<id>) besides batch/<id> */
  extraTags?: readonly string[];
  backup: boolean;
  time: number;
  /** runs after the journal says "committing" and before HEAD moves: store the items (with their blobs) then */
  beforeRefs: (commit: string, changes: readonly TreeChange[]) => void;
  /** runs once HEAD has moved: more paths the index should take with the batch's (one index write) */
  afterRefs?: () => Promise<readonly TreeChange[]>;
  /** a control-state commit on the pre-batch HEAD to build on; the journal records its file blobs */
  control?: { base: string; before: string | null; after: string };
  /**
   * GitOps: publish the built commit and tags before any local ref moves. 'rebuild' asks for the
   * batch again on `base` (a control-state commit on the remote's new head); `sync` are the paths
   * that head brings, which the work tree takes once HEAD has moved.
   */
  publish?: (built: {
    commit: string;
    tags: readonly RefUpdate[];
  }) => Promise<{ kind: 'published' } | { kind: 'rebuild'; base: string; after: string; sync: readonly string[] }>;
}

export interface Committed {
  commit: string;
  /** the commit it is built on: the control-state commit, the HEAD it began on, or a remote's newer head */
  parent: string | null;
  tag: string;
  backupRef: string | null;
  changes: TreeChange[];
}

/**
 * The tree entries of every path the batch changed. Bytes the apply step streamed into the blob pack
 * have their ids already (the pack is sealed separately, before refs move); the rest are hashed now.
 */
export async function batchTreeChanges(
  git: Git,
  runtime: ReadonlyMap<string, RuntimeState>,
  pack: BlobPack | undefined,
): Promise<TreeChange[]> {
  // One pass, and the ids filled in where they belong: at 100,000 paths, every intermediate list
  // or map here is megabytes at the step where peak memory is measured.
  const changes: Array<{ path: string; entry: { mode: string; oid: string } | null }> = [];
  const hashedAt: number[] = [];
  const toHash: string[] = [];
  for (const [path, s] of runtime) {
    if (!s.exists) {
      changes.push({ path, entry: null });
      continue;
    }
    let oid = s.oid;
    if (oid === null && s.mark !== undefined) {
      if (!pack) throw new Error('a blob-pack mark without a blob pack');
      oid = pack.idOf(s.mark);
    } else if (oid === null) {
      hashedAt.push(changes.length);
      toHash.push(path);
    }
    changes.push({ path, entry: { mode: s.mode ?? '100644', oid: oid ?? '' } });
  }
  const hashed = await git.hashFiles(toHash);
  hashedAt.forEach((index, i) => {
    const entry = changes[index]?.entry;
    if (entry) entry.oid = hashed[i] as string;
  });
  return changes;
}

/** Returns null when the batch changed nothing (the tree equals HEAD's): no empty commits. */
export async function commitBatch(args: CommitArgs): Promise<Committed | null> {
  const { git, stateDir, journal, changes, batchId, time } = args;
  const head = journal.head;
  let parent = args.control?.base ?? head;
  let controlAfter = args.control?.after;
  let sync: readonly string[] = [];
  const tag = `${TAG_PREFIX}${batchId}`;
  const identity = git.identity;
  let commit: string;
  let tags: RefUpdate[];
  for (;;) {
    const tree = await git.writeTree({ parent, changes });
    if (parent !== null && (await git.readCommit(parent)).tree === tree) return null;
    commit = await git.commitTree({ tree, parent, message: args.messageFor(tree, parent), author: identity, committer: identity, time });
    tags = [];
    for (const name of [tag, ...(args.extraTags ?? [])]) {
      const tagObject = await git.makeTag({ name, commit, message: args.tagMessage, tagger: identity, time });
      tags.push({ kind: 'create', ref: `refs/tags/${name}`, newOid: tagObject });
    }
    // Trees may name blobs fast-import is still writing; nothing leaves or lands before they are stored.
    await args.objectsStored;
    const published = args.publish ? await args.publish({ commit, tags }) : { kind: 'published' as const };
    if (published.kind === 'published') break;
    ({ base: parent, after: controlAfter, sync } = published);
  }
  const control = args.control && controlAfter ? { control: { before: args.control.before, after: controlAfter } } : {};
  const backupRef = args.backup && head !== null ? `${BACKUP_REF_PREFIX}${batchId}` : null;
  const updates: RefUpdate[] = [
    { kind: 'update', ref: 'HEAD', newOid: commit, oldOid: head },
    ...tags,
    ...(backupRef && head ? [{ kind: 'create', ref: backupRef, newOid: head } as const] : []),
  ];
  // The lock files the ref transaction and the index refresh below may leave if killed, named first.
  const locks = await gitLocksFor({ gitDir: git.gitDir, refs: updates.map((u) => u.ref), index: true });
  await writeJournal(stateDir, {
    ...journal,
    state: 'committing',
    commit,
    ...control,
    ...(sync.length > 0 ? { synced: [...sync] } : {}),
    git_locks: [...(journal.git_locks ?? []), ...locks],
  });
  args.beforeRefs(commit, changes);

  try {
    await git.updateRefs(updates, `batchctl: ${batchId}`);
    // A git killed once every ref had moved leaves HEAD.lock: the ref locks this run named, that no
    // process uses, are removed now rather than block the next ref update (docs/lifecycle.md#durability-and-concurrency).
    await removeRunGitLocks({ gitDir: git.gitDir, root: git.root, locks: locks.filter((lock) => lock.file !== 'index.lock') });
  } catch (error) {
    if (!(error instanceof BatchctlError) || error.code !== 'HEAD_MOVED') throw error; // a held lock, a full disk: as they are
    const moved = Array.isArray(error.data.moved) ? (error.data.moved as Array<{ ref: string }>) : [];
    if (!moved.some((m) => m.ref === 'HEAD')) {
      // HEAD is where the batch began: its tag or backup ref was there before it. Not a lost race.
      throw new BatchctlError({
        code: 'REF_UPDATE_FAILED',
        message: `${moved.map((m) => m.ref).join(', ')} existed before batch ${batchId} could create it; no ref moved`,
        hint: 'check it with `git show-ref`, and remove it if nothing needs it',
        data: { ...error.data, undone: [], left: [] },
        cause: error,
      });
    }
    throw new BatchctlError({
      code: 'HEAD_MOVED',
      message: `HEAD moved while batch ${batchId} ran (another commit landed); nothing was committed`,
      hint: 'run the batch again: it is validated against the new HEAD',
      data: error.data, // which ref moved, and git's stderr
      cause: error,
    });
  }
  // The user's index learns the batch's paths only; their other staged work stays as it was.
  await git.updateIndex([...changes, ...((await args.afterRefs?.()) ?? [])]);
  // A replay on the remote's newer head: its other changes reach the work tree too.
  if (sync.length > 0) await materializePaths(git, commit, sync);
  return { commit, parent, tag, backupRef, changes };
}
