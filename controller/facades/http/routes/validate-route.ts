// POST /api/validate (docs/serve.md#validating): judge a batch against the repository as it is; 200
// with the plan when valid, 422 VALIDATION_FAILED with the issues when not. Changes nothing.
import { BatchctlError } from '../../../errors/index.js';
import { errorBody, httpStatusOf } from '../http-error.js';
import { defineRoute } from '../route.js';
import { errorBodySchema } from '../schemas.js';

export const validateRoute = defineRoute({
  method: 'post',
  path: '/api/validate',
  role: 'operator',
  summary: 'validate a batch (JSON or NDJSON) without changing anything',
  body: 'batch',
  responses: {
    200: { description: 'valid: the validation result with its plan_hash' },
    400: { description: 'the document is not a batch', schema: errorBodySchema },
    422: { description: 'VALIDATION_FAILED: details holds the validation result (issues, warnings)', schema: errorBodySchema },
  },
  async handle({ c, engine, document }) {
    if (!document) throw new BatchctlError({ code: 'INTERNAL', message: 'no document' });
    const result = await engine.validate(document);
    if (result.valid) return c.json(result, 200);
    const first = result.issues[0];
    const error = new BatchctlError({
      code: 'VALIDATION_FAILED',
      message: first ? `${result.issues.length} issue(s); the first: ${first.message}` : 'the batch is not valid',
      hint: 'fix the operations named in details.issues',
      data: { ...result },
    });
    return c.json(errorBody(error), httpStatusOf(error.code));
  },
});
