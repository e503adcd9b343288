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
import { writeFileDurably } from '../../journal/index.js';
import type { EngineDeps } from '../engine-deps.js';
import { COMMIT_STATUS_WRITES } from '../github/batch-status.js';
import { incidentWrites } from '../github/incident-issue.js';

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

/** The batch charged also for the GitHub writes its run makes (docs/github-api.md#budget): unit `api_writes`. */
export function withApiWrites<B extends ChargedBatch>(batch: B, writes: number | undefined): B {
  if (!writes) return batch;
  return { ...batch, options: { ...batch.options, cost: { ...costOf(batch), api_writes: writes } } };
}

/**
 * The GitHub writes of a batch that commits: the caller's (a proposal's pull request, labels, auto-merge) and,
 * with GitHub on, the `batchctl/batch` status every batch commit gets, whoever submitted it (CLI, HTTP, MCP, retry).
 */
export function committedWrites(deps: Pick<EngineDeps, 'github'>, given: number | undefined): number {
  return (given ?? 0) + (deps.github ? COMMIT_STATUS_WRITES : 0);
}

/** The control file after this batch's outcome, hashed into the object store; null if unusable. */
export async function prepareControlState(
  deps: EngineDeps,
  {
    batch,
    batchId,
    outcome,
    from,
    ecosystems = batchEcosystems(batch),
  }: {
    batch: ChargedBatch;
    batchId: string;
    outcome: Outcome;
    from?: { text: string | null; name: string };
    /** the ecosystems whose breakers hear the outcome (default: every one the batch touched) */
    ecosystems?: readonly string[];
  },
): Promise<PendingControl | null> {
  const now = deps.now();
  const transitions: PendingControl['transitions'] = [];
  const edit = await computeControlEdit(
    deps.git.root,
    (raw, control) => {
      const breakers = objectAt(raw, 'circuit_breaker');
      // The outcome feeds the breaker of each ecosystem it is about (docs/control-file.md#multi-ecosystem-outcomes).
      for (const ecosystem of ecosystems) {
        const next = recordOutcome(control.circuit_breaker[ecosystem], control.policy.circuit_breaker, outcome, now);
        breakers[ecosystem] = { ...(breakers[ecosystem] as object | undefined), ...next.breaker };
        if (next.transition) transitions.push({ ...next.transition, ecosystem });
      }
      // The incident issues these transitions open or close are this outcome's writes: charged in the same
      // commit (docs/github-api.md#budget), so no write ever needs a control-file commit of its own.
      const incidents = deps.github ? transitions.reduce((sum, t) => sum + incidentWrites(t.to), 0) : 0;
      const cost = costOf(batch);
      charge(objectAt(raw, 'budget'), control, incidents ? { ...cost, api_writes: (cost.api_writes ?? 0) + incidents } : cost, now);
    },
    from,
  );
  if (!edit.changed) return null;
  const oid = await deps.git.hashBlob(edit.text);
  // Only compared with the index's and the work tree's ids (indexFollowsHead, recovery), never read: not stored.
  const originalOid = edit.original === null ? null : deps.git.blobId(edit.original);
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
  if (await landControlFile(deps, pending)) return deps.git.updateIndex([pending.change]);
  const before = pending.original === null ? null : deps.git.blobId(pending.original);
  if (await indexFollowsHead(deps, before)) await deps.git.updateIndex([pending.change]);
}

/**
 * The work tree's file was edited meanwhile, and the index still holds it as it was (`before`, its
 * blob; nothing of the user's is staged): the index takes HEAD's new state all the same. Left as it
 * was, it would stage a revert of the committed state, which a plain `git commit` would commit (issue 11).
 */
export async function indexFollowsHead(deps: EngineDeps, before: string | null): Promise<boolean> {
  const entry = (await deps.git.indexEntries([CONTROL_FILE_NAME])).get(CONTROL_FILE_NAME);
  return (entry?.oid ?? null) === before;
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
  // Edited since: the edit stays; the index follows HEAD unless the user staged something there.
  if (currentOid !== control.before) return (await indexFollowsHead(deps, control.before)) ? deps.git.updateIndex([change]) : undefined;
  const text = (await deps.git.readBlobs([control.after])).get(control.after);
  if (!text) throw new Error(`blob ${control.after} of the control file is missing`);
  await landControlState(deps, { original: current === null ? null : current.toString('utf8'), text, change });
}
