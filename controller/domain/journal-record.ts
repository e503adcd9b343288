// The crash journal's on-disk form (docs/lifecycle.md#durability-and-concurrency): parsed with zod like every other file we read.
import { z } from 'zod';

const oid = z.string().regex(/^[0-9a-f]{40}([0-9a-f]{24})?$/);

/** A touched path's pre-batch state: its blob and mode, or null when it did not exist. */
export const journalPathSchema = z.strictObject({
  path: z.string().min(1),
  before: z.strictObject({ oid, mode: z.string() }).nullable(),
});

/**
 * A git lock file the run may take, named before it takes it: its path relative to the git
 * directory, and the moment it was recorded. Recovery removes only these, and only when nothing
 * is using them (journal/git-locks.ts).
 */
export const journalGitLockSchema = z.strictObject({
  file: z.string().min(1),
  since: z.iso.datetime(),
});

export const journalRecordSchema = z.strictObject({
  version: z.literal(1),
  batch_id: z.string(),
  /**
   * batch (the default): a batch's run; control: a control-state commit alone (a failed batch's
   * breaker and budget), which touches no path before HEAD moves: undoing it is dropping the journal
   */
  kind: z.enum(['batch', 'control']).optional(),
  /** applying: the work tree may hold part of the batch; committing: the commit below may have landed */
  state: z.enum(['applying', 'committing']),
  head: oid.nullable(),
  commit: oid.nullable(),
  /** the branch HEAD pointed at, to tell "HEAD moved" from "someone checked out elsewhere" */
  branch: z.string().nullable(),
  pid: z.number().int(),
  /** process group of the run: its git children share it, so recovery can prove they are all gone */
  pgid: z.number().int().nullable(),
  hostname: z.string(),
  started_at: z.string(),
  plan_hash: z.string(),
  touched: z.array(journalPathSchema),
  /** the control-state commit under the batch commit: the work tree gets `after` once HEAD moved */
  control: z.strictObject({ before: oid.nullable(), after: oid }).optional(),
  /** paths a replay on the remote's newer head brings: the work tree takes them from `commit` */
  synced: z.array(z.string()).optional(),
  /** the git lock files the run may have taken so far (a journal without it took none) */
  git_locks: z.array(journalGitLockSchema).optional(),
});

export type JournalRecord = z.infer<typeof journalRecordSchema>;
export type JournalPath = z.infer<typeof journalPathSchema>;
export type JournalGitLock = z.infer<typeof journalGitLockSchema>;
