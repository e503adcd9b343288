// rollback_batch: revert a committed batch as a new batch commit (git revert semantics), or with the
// batch's backup_id reset its paths to the backup. A reason is required (docs/mcp.md#safety).
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';

import { BACKUP_REF_PREFIX } from '../../../domain/index.js';
import type { RollbackResult } from '../../../engine/index.js';
import { BatchctlError } from '../../../errors/index.js';
import { clip, firstOf } from '../bounds.js';
import { guarded, judged } from '../render.js';
import { rollbackBatchInput, rollbackBatchOutput } from '../schemas.js';
import { UNTRUSTED_NOTE, type ToolContext } from '../tool-context.js';

function refusedByConflicts(batchId: string, conflicts: RollbackResult['conflicts'], error: BatchctlError): RollbackResult {
  return {
    success: false,
    status: 'refused',
    batch_id: batchId,
    dry_run: false,
    rollback_batch_id: null,
    commit: null,
    tag: null,
    restored: [],
    deleted: [],
    unchanged: [],
    conflicts,
    reason: { code: error.code, message: error.detail },
  };
}

export function registerRollbackBatch(server: McpServer, ctx: ToolContext): void {
  server.registerTool(
    'rollback_batch',
    {
      title: 'Roll back a committed batch',
      description:
        'Revert every change a committed batch made, as one new commit tagged rollback/<batch_id>. A later commit that changed ' +
        "the same lines makes it refuse (failed lists those paths) and nothing changes. With the batch's backup_id, its paths " +
        "are reset to the backup instead (later changes to them are lost). `reason` is required: it is the revert commit's Rollback-Reason trailer." +
        UNTRUSTED_NOTE,
      inputSchema: rollbackBatchInput,
      outputSchema: rollbackBatchOutput,
      annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
    },
    (args) =>
      guarded(async () => {
        const agent = ctx.agent();
        // The only backup a batch has is its own ref: any other value is a mistake, refused before anything runs.
        if (args.backup_id !== undefined && args.backup_id !== `${BACKUP_REF_PREFIX}${args.batch_id}`) {
          throw new BatchctlError({
            code: 'INPUT_INVALID',
            message: `backup_id: ${clip(args.backup_id, 200)} is not the backup of ${args.batch_id}`,
            hint: `pass the backup_id get_batch_status reports (${BACKUP_REF_PREFIX}${args.batch_id}), or none to revert`,
            data: { issues: [{ field: 'backup_id', message: 'not the backup of batch_id' }] },
          });
        }
        ctx.logger.info({ batch_id: args.batch_id, agent: agent.trailer, reason: clip(args.reason) }, 'rollback requested over MCP');
        let result: RollbackResult;
        try {
          result = await ctx.engine.rollback(args.batch_id, {
            requestedBy: agent.requestedBy,
            agent: agent.trailer,
            reason: args.reason,
            ...(args.backup_id === undefined ? {} : { restore: true }),
          });
        } catch (error) {
          // A conflict is an answer an agent acts on (which paths): the result, not only a message.
          const conflicts = error instanceof BatchctlError && error.code === 'ROLLBACK_CONFLICT' ? error.data['conflicts'] : undefined;
          if (!Array.isArray(conflicts)) throw error;
          result = refusedByConflicts(args.batch_id, conflicts as RollbackResult['conflicts'], error as BatchctlError);
        }
        const restored = firstOf(result.restored);
        const out = {
          success: result.success,
          status: result.status,
          batch_id: result.batch_id,
          rollback_batch_id: result.rollback_batch_id,
          commit: result.commit,
          restored: restored.shown.map((p) => clip(p)),
          restored_total: restored.total,
          deleted: firstOf(result.deleted).shown.map((p) => clip(p)),
          failed: firstOf(result.conflicts).shown.map((c) => ({ path: clip(c.path), why: clip(c.why) })),
          ...(result.reason ? { reason: { code: result.reason.code, message: clip(result.reason.message) } } : {}),
        };
        const text = result.success
          ? `rolled back ${result.batch_id} as ${result.rollback_batch_id ?? '-'}: ${restored.total} restored, ${result.deleted.length} deleted`
          : `rollback of ${result.batch_id} ${result.status}${result.reason ? ` (${result.reason.code}: ${clip(result.reason.message)})` : ''}`;
        const judgedOut = judged(out, text);
        return result.success ? judgedOut : { ...judgedOut, isError: true };
      }),
  );
}
