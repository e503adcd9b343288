// Errors: the one error type and the code table.
export { BatchctlError, toBatchctlError, type BatchctlErrorOptions } from './batchctl-error.js';
export { ERROR_CODES, EXIT, type ErrorCode, type ErrorKind, type ExitCode } from './codes.js';
