// get_control_state: the emergency stop, breakers and budget of batch-control.json, read-only.
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';

import { controlSummary, controlView } from '../control-view.js';
import { answer, guarded } from '../render.js';
import { getControlStateInput, getControlStateOutput } from '../schemas.js';
import { UNTRUSTED_NOTE, type ToolContext } from '../tool-context.js';

export function registerGetControlState(server: McpServer, ctx: ToolContext): void {
  server.registerTool(
    'get_control_state',
    {
      title: 'The control plane: emergency stop, breakers, budget',
      description:
        'Whether batches are admitted now: the emergency stop (stop.enabled false), stopped ecosystems, circuit breakers per ' +
        'ecosystem and the weekly budget (normal, sampling or paused). Read-only.' +
        UNTRUSTED_NOTE,
      inputSchema: getControlStateInput,
      outputSchema: getControlStateOutput,
      annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    },
    () =>
      guarded(async () => {
        const view = controlView(await ctx.engine.controlStatus());
        return answer(view, controlSummary(view));
      }),
  );
}
