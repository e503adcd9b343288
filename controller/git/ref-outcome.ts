// What a ref transaction really did, read from the refs once git has exited
// (docs/lifecycle.md#durability-and-concurrency). git's files backend renames its locks one at a
// time (the branch last), so a failure partway leaves some refs moved; and `update-ref --stdin`
// takes input cut short as the whole transaction and exits 0.
import { BatchctlError } from '../errors/index.js';
import { zeroOid, type ObjectFormat } from './object-format.js';
import type { RefUpdate } from './refs.js';
import type { GitRunner } from './runner.js';

/** The value a ref has now (not peeled), or null when it does not exist. */
export type ReadRef = (ref: string) => Promise<string | null>;

const oldOf = (u: RefUpdate): string | null => (u.kind === 'create' ? null : u.oldOid);
const newOf = (u: RefUpdate): string | null => (u.kind === 'delete' ? null : u.newOid);

/** The `update-ref -z --stdin` commands for these updates. */
export function transactionInput(updates: readonly RefUpdate[], format: ObjectFormat): string {
  return updates
    .map((u) => {
      if (u.kind === 'create') return `create ${u.ref}\0${u.newOid}\0`;
      if (u.kind === 'delete') return `delete ${u.ref}\0${u.oldOid}\0`;
      return `update ${u.ref}\0${u.newOid}\0${u.oldOid ?? zeroOid(format)}\0`;
    })
    .join('');
}

/** The values the refs have now, in order. */
export const readRefs = (updates: readonly RefUpdate[], readRef: ReadRef): Promise<Array<string | null>> =>
  Promise.all(updates.map((u) => readRef(u.ref)));

/**
 * Which updates landed. After an exit 0, a ref no longer at its old value landed (one at neither
 * value was moved on by someone else since). After a failure, only a ref this call moved to its new
 * value landed (`before`: the values read before the call).
 */
export async function landedUpdates({
  updates,
  readRef,
  exitedOk,
  before,
}: {
  updates: readonly RefUpdate[];
  readRef: ReadRef;
  exitedOk: boolean;
  before: ReadonlyArray<string | null>;
}): Promise<boolean[]> {
  const after = await readRefs(updates, readRef);
  return updates.map((u, i) => (exitedOk ? after[i] !== oldOf(u) : after[i] === newOf(u) && before[i] !== newOf(u)));
}

/** The update that puts a landed one back, compare-and-swap against the value it landed. */
function undoOf(u: RefUpdate): RefUpdate {
  if (u.kind === 'create') return { kind: 'delete', ref: u.ref, oldOid: u.newOid };
  if (u.kind === 'delete') return { kind: 'create', ref: u.ref, newOid: u.oldOid };
  return u.oldOid === null
    ? { kind: 'delete', ref: u.ref, oldOid: u.newOid }
    : { kind: 'update', ref: u.ref, newOid: u.oldOid, oldOid: u.newOid };
}

/**
 * Some updates landed, some did not. When HEAD is among the landed, the batch's commit is on the
 * branch: the rest are applied after it (the post-transaction state). Otherwise what landed is put
 * back (the pre-transaction state). Either way, REF_UPDATE_FAILED names what is left undone.
 * Resolves when the rest landed.
 */
export async function settlePartial({
  git,
  updates,
  landed,
  stderr,
  reason,
  format,
  readRef,
}: {
  git: GitRunner;
  updates: readonly RefUpdate[];
  landed: readonly boolean[];
  stderr: string;
  reason: string;
  format: ObjectFormat;
  readRef: ReadRef;
}): Promise<void> {
  const forward = updates.some((u, i) => u.ref === 'HEAD' && landed[i]);
  const todo = forward ? updates.filter((_, i) => !landed[i]) : updates.filter((_, i) => landed[i]).map(undoOf);
  let again = '';
  const before = await readRefs(todo, readRef);
  await git
    .exec(['update-ref', '-m', reason, '-z', '--stdin'], { input: transactionInput(todo, format) })
    .catch((error: unknown) => (again = error instanceof Error ? error.message : String(error)));
  const done = await landedUpdates({ updates: todo, readRef, exitedOk: again === '', before });
  const left = todo.filter((_, i) => !done[i]).map((u) => u.ref);
  if (forward && left.length === 0) return;
  const moved = updates.filter((_, i) => landed[i]).map((u) => u.ref);
  throw new BatchctlError({
    code: 'REF_UPDATE_FAILED',
    message: forward
      ? `git's ref transaction stopped partway: HEAD moved, ${left.join(', ')} did not (${firstLine(stderr)})`
      : `git's ref transaction stopped partway (${firstLine(stderr) || 'its input was cut short'}): ${moved.join(', ')} had moved and ${
          left.length === 0 ? 'were put back' : `${left.join(', ')} could not be put back`
        }`,
    hint:
      left.length === 0
        ? 'check the free space and permissions of the repository, then retry'
        : `check ${left.join(', ')} with \`git show-ref\``,
    data: { stderr, moved, undone: forward ? [] : todo.filter((_, i) => done[i]).map((u) => u.ref), left, ...(again ? { again } : {}) },
  });
}

const firstLine = (text: string): string => text.trim().split('\n')[0] ?? '';
