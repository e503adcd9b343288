// The plan: what validation hands the engine. One step per concrete path change; a glob operation
// becomes one step per matched file, so progress, failures and retries are per file.
import type { IndexEntry } from '../git/index.js';
import type { OperationType } from '../domain/index.js';

export interface PlanStep {
  /** position in the plan */
  id: number;
  /** index of the operation in the batch document */
  index: number;
  type: OperationType;
  target: string;
  source: string | null;
  /** write: the bytes; replace: null (read at apply time) */
  content: Buffer | null;
  /** write: the mode to give the file (null keeps the current one, or 100644 for a new file) */
  mode: string | null;
  /** replace */
  find: string | null;
  replaceWith: string | null;
  regex: boolean;
  /** replace over a glob: a file without a match is left alone instead of failing */
  fromGlob: boolean;
  overwrite: boolean;
  /** ids of steps that must finish first (same path earlier, or depends_on) */
  after: number[];
}

export interface Plan {
  steps: PlanStep[];
  /** every path a step reads or writes, with its pre-batch index entry (null = not tracked) */
  touched: Map<string, IndexEntry | null>;
  planHash: string;
}
