// A result's exit code (the one outcome table, errors/outcome.ts), and the stderr line a person
// reads when it did not succeed.
import type { BatchResult } from '../../domain/index.js';
import { outcomeOf, type ExitCode } from '../../errors/index.js';
import { flushJsonLines } from './ndjson.js';
import { errorLine } from './error-line.js';

export function reportOutcome(result: Pick<BatchResult, 'status' | 'reason' | 'pending'>): ExitCode {
  const outcome = outcomeOf(result);
  // Committed (exit 0), with the index refresh or the record left to `batchctl recover`: say so.
  if (result.pending) {
    flushJsonLines();
    process.stderr.write(errorLine(result.pending).replace(/^batchctl: /, 'batchctl: warning: '));
  }
  if (!outcome.ok && result.reason) {
    flushJsonLines(); // stdout first, so a reader of both streams sees them in order
    process.stderr.write(errorLine(result.reason));
  }
  return outcome.exit;
}
