// SPEC §7: how a batch outcome becomes the process exit code.
import type { BatchResult } from '../domain/index.js';
import { ERROR_CODES, EXIT, type ErrorCode, type ExitCode } from '../errors/index.js';

export function exitCodeFor(result: BatchResult): ExitCode {
  switch (result.status) {
    case 'completed':
    case 'planned':
      return EXIT.ok;
    case 'refused':
      return EXIT.refused;
    default: {
      const code = result.reason?.code;
      if (code && code in ERROR_CODES) return ERROR_CODES[code as ErrorCode].exit;
      return EXIT.batchFailed;
    }
  }
}
