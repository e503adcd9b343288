// What reindex learns from the branch beyond each batch's own commit (docs/lifecycle.md#reindex): which
// batches a later commit reverted, and which batch tags point at a side-branch commit whose squash
// merge is what reached the branch (the tag is moved to the squash commit).
import { ROLLBACK_TAG_PREFIX, TAG_PREFIX, TRAILER } from '../domain/index.js';
import { isAncestor, parseTrailers, type Git, type HistoryCommit } from '../git/index.js';

export interface IndexedCommit extends HistoryCommit {
  id: string;
  trailers: Map<string, string>;
}

/** Batches reverted in full (a rollback tag, or a `Reverts-Batch` commit that is not a --paths one). */
export function rolledBackIds(batches: readonly IndexedCommit[], refs: ReadonlyMap<string, string>): Set<string> {
  const ids = new Set<string>();
  for (const b of batches) {
    const reverts = b.trailers.get(TRAILER.revertsBatch);
    if (reverts && !b.trailers.has(TRAILER.rollbackPaths)) ids.add(reverts);
  }
  for (const ref of refs.keys()) {
    if (ref.startsWith(`refs/tags/${ROLLBACK_TAG_PREFIX}`)) ids.add(ref.slice(`refs/tags/${ROLLBACK_TAG_PREFIX}`.length));
  }
  return ids;
}

/** Every trailer of the tagged commit is on the candidate too, with the same value. */
function sameTrailerBlock(tagged: Map<string, string>, candidate: Map<string, string>): boolean {
  return [...tagged].every(([key, value]) => candidate.get(key) === value);
}

/**
 * Move `batch/<id>` to the one commit on the branch that carries the batch's whole trailer block when
 * the tag points at a commit that is not on the branch (a squash merge of a side branch). `refs` is
 * updated in place. Returns the ids whose tag moved.
 */
export async function followSquashMerges({
  git,
  batches,
  refs,
}: {
  git: Git;
  batches: readonly IndexedCommit[];
  refs: Map<string, string>;
}): Promise<Set<string>> {
  const moved = new Set<string>();
  const head = await git.head();
  if (!head) return moved;
  const byId = new Map<string, IndexedCommit[]>();
  for (const b of batches) byId.set(b.id, [...(byId.get(b.id) ?? []), b]);
  for (const [id, onBranch] of byId) {
    const ref = `refs/tags/${TAG_PREFIX}${id}`;
    const tagged = refs.get(ref);
    if (!tagged || onBranch.some((b) => b.oid === tagged)) continue;
    // A tag on a commit the branch contains is where it belongs, whatever else repeats the trailers.
    if (await isAncestor(git.runner, tagged, head)) continue;
    const taggedTrailers = parseTrailers((await git.readCommit(tagged)).message);
    if (taggedTrailers.get(TRAILER.batchId) !== id) continue;
    const squashes = onBranch.filter((b) => sameTrailerBlock(taggedTrailers, b.trailers));
    const [squash] = squashes;
    if (squashes.length !== 1 || !squash) continue;
    await git.moveTag({ name: `${TAG_PREFIX}${id}`, commit: squash.oid, fromCommit: tagged });
    refs.set(ref, squash.oid);
    moved.add(id);
  }
  return moved;
}
