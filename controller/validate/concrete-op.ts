// An operation resolved to normalised paths. A glob operation is resolved during simulation, against
// the repository as the earlier operations of the batch leave it (docs/batch-format.md#the-batch-document's example relies on this).
import type { Operation } from '../domain/index.js';
import type { StepContent } from './plan.js';

export interface ConcreteOp {
  index: number;
  op: Operation;
  target: string;
  source: string | null;
  /** decoded write content (text as given) */
  content: StepContent | null;
  fromGlob: boolean;
}

export interface GlobOp {
  index: number;
  op: Operation;
  pattern: string;
  match: (path: string) => boolean;
  /** tracked files matching before the batch; the simulation adds and drops the batch's own changes */
  baseMatches: string[];
}

export type ResolvedOp = { kind: 'path'; op: ConcreteOp } | { kind: 'glob'; op: GlobOp };
