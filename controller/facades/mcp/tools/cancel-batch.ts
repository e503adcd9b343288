// cancel_batch: a queued batch is cancelled at once; a running one stops after its current operation
// and rolls back (the engine's cancel). Cancelling the execute_batch request does the same.
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';

import { clip } from '../bounds.js';
import { answer, guarded } from '../render.js';
import { cancelBatchInput, cancelBatchOutput } from '../schemas.js';
import { UNTRUSTED_NOTE, type ToolContext } from '../tool-context.js';

export function registerCancelBatch(server: McpServer, ctx: ToolContext): void {
  server.registerTool(
    'cancel_batch',
    {
      title: 'Cancel a queued or running batch',
      description:
        'A queued batch is cancelled at once and never runs; a running one stops after its current operation and every ' +
        'change it made is rolled back (nothing is committed). A batch that already ended cannot be cancelled: roll it back ' +
        'with rollback_batch. `reason` is required.' +
        UNTRUSTED_NOTE,
      inputSchema: cancelBatchInput,
      outputSchema: cancelBatchOutput,
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    },
    (args) =>
      guarded(async () => {
        const agent = ctx.agent();
        const result = ctx.engine.cancel(args.batch_id, `${agent.requestedBy}: ${clip(args.reason)}`);
        ctx.logger.info({ batch_id: args.batch_id, agent: agent.trailer, reason: clip(args.reason) }, 'cancel requested over MCP');
        const text =
          result.status === 'cancelled'
            ? `batch ${result.batch_id} cancelled before it ran`
            : `batch ${result.batch_id} is cancelling: it stops after its current operation and rolls back`;
        return answer({ ...result }, text, false);
      }),
  );
}
