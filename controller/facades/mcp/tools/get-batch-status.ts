// get_batch_status: one batch in detail (its record and items), or the latest batches.
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';

import { batchDetail, batchSummary } from '../batch-view.js';
import { answer, guarded } from '../render.js';
import { getBatchStatusInput, getBatchStatusOutput } from '../schemas.js';
import { UNTRUSTED_NOTE, type ToolContext } from '../tool-context.js';

const DEFAULT_LIMIT = 20;

export function registerGetBatchStatus(server: McpServer, ctx: ToolContext): void {
  server.registerTool(
    'get_batch_status',
    {
      title: 'Status of a batch, or the latest batches',
      description:
        'With batch_id: that batch (status, counts, commit, backup_id, why it did not complete) and its first `limit` ' +
        'operations with their outcomes; while it runs, the counts so far. Without: the latest `limit` batches, newest first.' +
        UNTRUSTED_NOTE,
      inputSchema: getBatchStatusInput,
      outputSchema: getBatchStatusOutput,
      annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    },
    (args) =>
      guarded(async () => {
        const limit = args.limit ?? DEFAULT_LIMIT;
        if (args.batch_id !== undefined) {
          const batch = batchDetail(ctx.engine.status(args.batch_id, { itemLimit: limit }));
          const why = batch.reason ? ` (${batch.reason.code})` : '';
          return answer(
            { batch },
            `batch ${batch.batch_id} ${batch.status}${why}: ${batch.success_count} succeeded, ${batch.failure_count} failed of ${batch.total_count}`,
          );
        }
        const history = ctx.engine.list({ limit }).map(batchSummary);
        const latest = history[0];
        return answer({ history }, `${history.length} batch(es)${latest ? `; the latest ${latest.batch_id} is ${latest.status}` : ''}`);
      }),
  );
}
