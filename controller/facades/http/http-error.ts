// One renderer turns any error into the HTTP error body; its status is the outcome table's http column
// (errors/codes.ts), never a table of this facade's own (docs/serve.md#errors).
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { ZodError, type z } from 'zod';

import { issueFields, type FieldIssue } from '../../domain/index.js';
import { BatchctlError, ERROR_CODES, toBatchctlError, type ErrorCode } from '../../errors/index.js';

export interface ErrorBody {
  error: { code: ErrorCode; message: string; hint?: string; details?: Record<string, unknown> };
}

/** zod's issues as `{field, message}` (docs/outcomes.md#input-errors), at most 20. */
export const fieldIssues = (issues: readonly z.core.$ZodIssue[], prefix: string[] = []): FieldIssue[] =>
  issueFields(issues, { prefix, root: '(body)' });

/** A request that fails its schema: INPUT_INVALID (400) naming the first field. */
export function invalidInput(error: ZodError, where: 'body' | 'query' | 'header'): BatchctlError {
  const issues = fieldIssues(error.issues, where === 'body' ? [] : [where]);
  const first = issues[0];
  return new BatchctlError({
    code: 'INPUT_INVALID',
    message: first ? `${first.field}: ${first.message}` : `the request ${where} is invalid`,
    hint: 'see GET /openapi.json for the shape this route takes',
    data: { issues },
  });
}

export function errorBody(error: BatchctlError): ErrorBody {
  const details = Object.keys(error.data).length > 0 ? { details: error.data } : {};
  return { error: { code: error.code, message: error.detail, ...(error.hint ? { hint: error.hint } : {}), ...details } };
}

export function httpStatusOf(code: ErrorCode): ContentfulStatusCode {
  return ERROR_CODES[code].http as ContentfulStatusCode;
}

/** app.onError: a BatchctlError renders itself; anything else is INTERNAL (500), logged by the request log. */
export function renderError(error: unknown, c: Context): Response {
  const failure = error instanceof ZodError ? invalidInput(error, 'body') : toBatchctlError(error);
  if (failure.code === 'INTERNAL') c.set('failure', failure);
  return c.json(errorBody(failure), httpStatusOf(failure.code));
}
