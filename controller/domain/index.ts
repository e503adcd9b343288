// Domain: schemas, types and constants. Imports zod only; no I/O.
export * from './batch.js';
export * from './batch-id.js';
export * from './control-file.js';
export * from './events.js';
export * from './event-schemas.js';
export * from './issue-codes.js';
export * from './lifecycle.js';
export * from './operation.js';
export * from './parse-batch.js';
export * from './results.js';
export * from './result-schemas.js';
export * from './trailers.js';
export * from './journal-record.js';
export * from './batch-document.js';
export * from './stored-operation.js';
export * from './queued-run.js';
export * from './verify-report.js';
