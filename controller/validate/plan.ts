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
  /** write: the bytes, or UTF-8 text kept as the batch gave it (see stepBytes); replace: null */
  content: StepContent | null;
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
  /** the operation's own ecosystem, when it names one (a multi-ecosystem batch): kept for `retry` */
  ecosystem?: string;
}

/**
 * A write's content. Text stays the string the batch document held until the step runs: a
 * 100,000-write batch would otherwise hold every content twice, once as the parsed string and once
 * as its bytes (tens of megabytes, and as many Buffer objects). base64 content is decoded once.
 */
export type StepContent = Buffer | string;

/** The bytes a step writes (text is encoded now). */
export function stepBytes(content: StepContent | null): Buffer {
  if (content === null) return Buffer.alloc(0);
  return typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
}

/** Their size, without encoding them. */
export function stepByteLength(content: StepContent | null): number {
  if (content === null) return 0;
  return typeof content === 'string' ? Buffer.byteLength(content, 'utf8') : content.length;
}

export interface Plan {
  steps: PlanStep[];
  /** every path a step reads or writes, with its pre-batch index entry (null = not tracked) */
  touched: Map<string, IndexEntry | null>;
  planHash: string;
}
