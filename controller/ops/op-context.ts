// What an operation may know and report: the current state of paths, and the effects it had.
import type { ErrorCode } from '../errors/index.js';

/** A path's state during the run: oid null means "bytes on disk, hash them at commit". */
export interface RuntimeState {
  exists: boolean;
  oid: string | null;
  mode: string | null;
  /** the bytes this run put there, for a large batch's blob pack (engine/run/apply-step.ts) */
  bytes?: Buffer;
  /** those bytes are in the run's blob pack under this mark, which also gives their id (git/blob-pack.ts) */
  mark?: number;
}

export interface OpContext {
  root: string;
  stateOf(path: string): RuntimeState;
  /** whether an earlier step of this run changed the path (then it may not be rewritten in place) */
  changedInRun(path: string): boolean;
}

export interface Effect {
  path: string;
  state: RuntimeState;
}

/** An operation that could not be done; `code` is an operation outcome of errors/codes.ts. */
export class OpFailure extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}
