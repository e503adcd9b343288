// After a batch ran (docs/lifecycle.md#commit-format): charge the budget and feed the breaker, in batch-control.json.
// The new file is committed before it reaches the work tree — under the batch commit when the batch
// commits, on its own when it failed — so a crash never leaves a half-recorded state behind.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

import {
  charge,
  computeControlEdit,
  objectAt,
  recordOutcome,
  withControlFile,
  type BreakerTransition,
  type Cost,
} from '../../control/index.js';
import { batchEcosystems, CONTROL_FILE_NAME, EVENT, TRAILER, type Batch } from '../../domain/index.js';
import { formatTrailers, type TreeChange } from '../../git/index.js';
import { readJournal, writeFileDurably } from '../../journal/index.js';
import type { EngineDeps } from '../engine-deps.js';
import { materializePaths } from '../restore-paths.js';
import { BatchctlError } from '../../errors/index.js';
import { keepPendingFailure } from './pending-failures.js';
import { publishControl } from './publish-control.js';

export type Outcome = 'success' | 'failure';

export interface PendingControl {
  /** the file as read (null: absent) and its blob; the work tree is only rewritten if it still reads so */
  original: string | null;
  originalOid: string | null;
  text: string;
  oid: string;
  change: TreeChange;
  message: string;
  transitions: Array<BreakerTransition & { ecosystem: string }>;
}

/** What the control state needs of a batch: its ecosystems (its own, its operations') and what it costs. */
export type ChargedBatch = Pick<Batch, 'ecosystem'> & {
  options: Pick<Batch['options'], 'cost'>;
  operations: ReadonlyArray<{ ecosystem?: string | undefined }>;
};

/** What a batch costs: its `cost`, or one `operations` unit per operation. */
export function costOf(batch: ChargedBatch): Cost {
  return batch.options.cost ?? { operations: batch.operations.length };
}

/** The control file after this batch's outcome, hashed into the object store; null if unusable. */
export async function prepareControlState(
  deps: EngineDeps,
  {
    batch,
    batchId,
    outcome,
    from,
  }: { batch: ChargedBatch; batchId: string; outcome: Outcome; from?: { text: string | null; name: string } },
): Promise<PendingControl | null> {
  const now = deps.now();
  const transitions: PendingControl['transitions'] = [];
  const edit = await computeControlEdit(
    deps.git.root,
    (raw, control) => {
      charge(objectAt(raw, 'budget'), control, costOf(batch), now);
      const breakers = objectAt(raw, 'circuit_breaker');
      // The batch's outcome feeds the breaker of every ecosystem it touched (docs/control-file.md#circuit-breakers).
      for (const ecosystem of batchEcosystems(batch)) {
        const next = recordOutcome(control.circuit_breaker[ecosystem], control.policy.circuit_breaker, outcome, now);
        breakers[ecosystem] = { ...(breakers[ecosystem] as object | undefined), ...next.breaker };
        if (next.transition) transitions.push({ ...next.transition, ecosystem });
      }
    },
    from,
  );
  if (!edit.changed) return null;
  const [oid, originalOid] = await Promise.all([
    deps.git.hashBlob(edit.text),
    edit.original === null ? null : deps.git.hashBlob(edit.original),
  ]);
  const kinds = transitions.length > 0 ? ['budget', 'breaker'] : ['budget'];
  const subject = `batchctl: control state after ${batchId} (${outcome})`;
  const body = transitions.map((t) => `Breaker ${t.ecosystem}: ${t.from} → ${t.to} (${t.why}).`);
  const message = `${subject}\n\n${body.length > 0 ? `${body.join('\n')}\n\n` : ''}${formatTrailers(kinds.map((k) => [TRAILER.controlChange, k] as const))}\n`;
  return {
    original: edit.original,
    originalOid,
    text: edit.text,
    oid,
    change: { path: CONTROL_FILE_NAME, entry: { mode: '100644', oid } },
    message,
    transitions,
  };
}

/** The control-state commit on `parent` (its tree: parent's, with the new control file). */
export async function controlCommit(deps: EngineDeps, pending: PendingControl, parent: string | null, time: number): Promise<string> {
  const { git } = deps;
  const tree = await git.writeTree({ parent, changes: [pending.change] });
  return git.commitTree({ tree, parent, message: pending.message, author: git.identity, committer: git.identity, time });
}

/**
 * Once HEAD holds the new state: the work tree and index follow, unless someone edited the file
 * meanwhile (then their edit stays, as an uncommitted change to review).
 */
export async function landControlState(
  deps: EngineDeps,
  pending: { original: string | null; text: string | Buffer; change: TreeChange },
): Promise<void> {
  if (await landControlFile(deps, pending)) await deps.git.updateIndex([pending.change]);
}

/** The work-tree half of landControlState: true when the file was written (the index should follow). */
export function landControlFile(deps: EngineDeps, pending: { original: string | null; text: string | Buffer }): Promise<boolean> {
  const file = join(deps.git.root, CONTROL_FILE_NAME);
  // Compare and write as one turn: a stop of this process cannot slip in between and be overwritten.
  return withControlFile(deps.git.root, async () => {
    const current = await readFile(file, 'utf8').catch(() => null);
    if (current !== pending.original) {
      deps.logger.warn(
        { file },
        'the control file changed while the batch ran; its committed state is in HEAD, the work-tree edit was kept',
      );
      return false;
    }
    await writeFileDurably(file, pending.text);
    return true;
  });
}

/** Every breaker transition is an audit event and a `breaker_changed` event (the same stored event). */
export function announceTransitions(deps: EngineDeps, pending: PendingControl, batchId: string | null): void {
  for (const t of pending.transitions) {
    deps.bus.emit(EVENT.breakerChanged, batchId, { ecosystem: t.ecosystem, from: t.from, to: t.to, why: t.why, manual: false });
  }
}

/** Crash recovery of a committed batch: bring the work tree's control file up to HEAD's, as landing would have. */
export async function recoverControlState(deps: EngineDeps, control: { before: string | null; after: string }): Promise<void> {
  const file = join(deps.git.root, CONTROL_FILE_NAME);
  const current = await readFile(file).catch(() => null);
  const currentOid = current === null ? null : await deps.git.hashBlob(current);
  const change = { path: CONTROL_FILE_NAME, entry: { mode: '100644', oid: control.after } };
  // In the work tree already (the run stopped before the index refresh): the index follows HEAD.
  if (currentOid === control.after) return deps.git.updateIndex([change]);
  if (currentOid !== control.before) return; // edited since: the edit stays
  const text = (await deps.git.readBlobs([control.after])).get(control.after);
  if (!text) throw new Error(`blob ${control.after} of the control file is missing`);
  await landControlState(deps, { original: current === null ? null : current.toString('utf8'), text, change });
}

/**
 * A failed batch's state (a breaker failure, the budget it used) as a commit of its own, made while
 * the run still holds the lock. It never changes the batch's outcome: what cannot be committed now is
 * kept pending and recorded by the next run (docs/control-file.md#a-failure-not-yet-recorded).
 * `push: false` (the run's `--no-push`): the record is committed here only, never published.
 * @returns true when recorded (or nothing to record), false when kept pending
 */
export async function commitFailureState(
  deps: EngineDeps,
  batch: ChargedBatch,
  batchId: string,
  { push = true }: { push?: boolean } = {},
): Promise<boolean> {
  const keep = async (why: string, error?: unknown): Promise<false> => {
    const others = batchEcosystems(batch).slice(1);
    await keepPendingFailure(deps, {
      batch_id: batchId,
      ecosystem: batch.ecosystem,
      ...(others.length > 0 ? { other_ecosystems: others } : {}),
      cost: costOf(batch),
    });
    // A kept crash journal is expected (the batch's own outcome already says to run `recover`): info, not a warning.
    deps.logger[error === undefined ? 'info' : 'warn'](
      { ...(error === undefined ? {} : { err: error }), batch_id: batchId, ecosystem: batch.ecosystem },
      `the failure of ${batchId} is not recorded in ${CONTROL_FILE_NAME} yet (${why}); the file is unchanged, the failure is kept pending and the next run records it`,
    );
    return false;
  };
  try {
    // A journal kept for `recover` (a restore left incomplete, an index lock in use) pins HEAD:
    // recovery finishes or undoes only on the HEAD the journal names.
    if (await readJournal(deps.stateDir)) return await keep('a crash journal is kept for `batchctl recover`');
    const pending = await prepareControlState(deps, { batch, batchId, outcome: 'failure' });
    if (!pending) return true;
    const head = await deps.git.head();
    const time = Math.floor(deps.now().getTime() / 1000);
    let landed = pending;
    const published = await publishControl(
      deps,
      head,
      { commit: await controlCommit(deps, pending, head, time), text: pending.text },
      async (base, theirs) => {
        const again = await prepareControlState(deps, {
          batch,
          batchId,
          outcome: 'failure',
          from: { text: theirs, name: `${base.slice(0, 12)}:${CONTROL_FILE_NAME}` },
        });
        if (!again) throw new Error('the failure changed nothing in the remote control file');
        landed = again;
        return { commit: await controlCommit(deps, again, base, time), text: again.text };
      },
      { push },
    );
    await deps.git.updateRefs(
      [{ kind: 'update', ref: 'HEAD', newOid: published.commit, oldOid: head }],
      `batchctl: control state after ${batchId}`,
    );
    await landControlState(deps, { original: pending.original, text: landed.text, change: landed.change });
    if (published.sync.length > 0) await materializePaths(deps.git, published.commit, published.sync);
    announceTransitions(deps, landed, batchId);
    return true;
  } catch (error) {
    const code = error instanceof BatchctlError ? error.code : 'an error';
    return keep(`${code} while committing it`, error).catch((again: unknown) => {
      deps.logger.error({ err: again, batch_id: batchId }, `the failure of ${batchId} is neither recorded nor kept pending`);
      return false;
    });
  }
}
