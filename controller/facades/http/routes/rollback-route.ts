// POST /api/rollback (docs/serve.md#rolling-back): revert a committed batch as a new batch commit.
import type { ContentfulStatusCode } from 'hono/utils/http-status';

import { outcomeOf } from '../../../errors/index.js';
import { requireRole } from '../auth/authenticate-request.js';
import { defineRoute } from '../route.js';
import { errorBodySchema, rollbackBodySchema } from '../schemas.js';

export const rollbackRoute = defineRoute({
  method: 'post',
  path: '/api/rollback',
  role: 'operator',
  summary: 'roll back a committed batch (all of it, or the paths matching `paths`)',
  rateLimit: 'write',
  body: rollbackBodySchema,
  submits: true,
  responses: {
    200: { description: 'rolled back: the rollback result' },
    404: { description: 'BATCH_NOT_FOUND, BACKUP_NOT_FOUND', schema: errorBodySchema },
    409: { description: 'ALREADY_ROLLED_BACK, ROLLBACK_CONFLICT, ROLLBACK_UNSAFE, HEAD_MOVED', schema: errorBodySchema },
  },
  async handle({ c, engine, body, principal }) {
    c.set('reason', body.reason);
    // Resetting to the backup overwrites later changes to those paths: an admin's call, as in the CLI's --restore.
    if (body.restore) requireRole(c, 'admin');
    const by = c.get('credential') === 'valid' && principal ? { requestedBy: principal.name } : {};
    const result = await engine.rollback(body.batch_id, {
      restore: body.restore,
      reason: body.reason,
      ...(body.paths ? { paths: body.paths } : {}),
      ...by,
    });
    return c.json(result, outcomeOf(result).http as ContentfulStatusCode);
  },
});
