// Errors: the one error type, the code table and the outcome of a result.
export { BatchctlError, toBatchctlError, type BatchctlErrorOptions } from './batchctl-error.js';
export { ERROR_CODES, EXIT, type ErrorCode, type ErrorKind, type ExitCode } from './codes.js';
export { isErrorCode, outcomeOf, type Outcome } from './outcome.js';
