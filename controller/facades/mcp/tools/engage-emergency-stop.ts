// engage_emergency_stop: agents may stop everything (or one ecosystem) but no tool lifts a stop:
// resuming is for humans (`batchctl resume`, docs/mcp.md#safety).
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';

import { clip } from '../bounds.js';
import { answer, guarded } from '../render.js';
import { engageEmergencyStopInput, engageEmergencyStopOutput } from '../schemas.js';
import { UNTRUSTED_NOTE, type ToolContext } from '../tool-context.js';

export function registerEngageEmergencyStop(server: McpServer, ctx: ToolContext): void {
  server.registerTool(
    'engage_emergency_stop',
    {
      title: 'Engage the emergency stop',
      description:
        "Stop all batches (or one ecosystem's): new batches are refused and running ones halt after their current operation " +
        'and roll back. Committed to batch-control.json with a Control-Change: stop trailer. Only a human can lift it ' +
        '(`batchctl resume`); no tool does. `reason` is required and shown to everyone whose batch is refused.' +
        UNTRUSTED_NOTE,
      inputSchema: engageEmergencyStopInput,
      outputSchema: engageEmergencyStopOutput,
      // Not idempotent: a second stop commits again (disabled_at and the reason move to the latest call).
      annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true },
    },
    (args) =>
      guarded(async () => {
        const agent = ctx.agent();
        const result = await ctx.engine.stop({
          reason: args.reason,
          by: agent.requestedBy,
          ...(args.ecosystem === undefined ? {} : { ecosystem: args.ecosystem }),
        });
        const scope = args.ecosystem ?? 'all';
        ctx.logger.warn({ scope, agent: agent.trailer, reason: clip(args.reason) }, 'emergency stop engaged over MCP');
        const text = `${scope === 'all' ? 'emergency stop' : `stop of ecosystem ${scope}`} ${result.changed ? 'engaged' : 'was on already'}${
          result.commit ? ` (commit ${result.commit.slice(0, 12)})` : ''
        }; only a human can lift it (batchctl resume)`;
        return answer({ stopped: true, scope, changed: result.changed, commit: result.commit }, text, false);
      }),
  );
}
