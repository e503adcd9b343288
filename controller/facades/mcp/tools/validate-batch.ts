// validate_batch: judge operations against the repository as it is now, with the caps an MCP batch is
// held to; changes nothing. Its plan_hash lets execute_batch refuse if anything changed since.
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';

import { parseBatchValue, type ValidationIssue } from '../../../domain/index.js';
import { clip, firstOf } from '../bounds.js';
import { answer, guarded } from '../render.js';
import { validateBatchInput, validateBatchOutput } from '../schemas.js';
import { UNTRUSTED_NOTE, type ToolContext } from '../tool-context.js';

function bounded(list: readonly ValidationIssue[]) {
  const { shown, total } = firstOf(list);
  return {
    total,
    shown: shown.map((i) => ({
      code: i.code,
      index: i.index,
      ...(i.path === undefined ? {} : { path: clip(i.path) }),
      message: clip(i.message),
      ...(i.hint ? { hint: clip(i.hint) } : {}),
    })),
  };
}

export function registerValidateBatch(server: McpServer, ctx: ToolContext): void {
  server.registerTool(
    'validate_batch',
    {
      title: 'Validate a batch without changing anything',
      description:
        'Check file operations against the repository as it is now: path safety, protected paths, existence, overwrites, ' +
        'uncommitted work in the way, conflicts inside the batch, size limits and the MCP operation cap. Changes nothing. ' +
        'Returns issues (errors refuse the batch), warnings, estimates and a plan_hash to pass to execute_batch.' +
        UNTRUSTED_NOTE,
      inputSchema: validateBatchInput,
      outputSchema: validateBatchOutput,
      annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    },
    (args) =>
      guarded(async () => {
        const batch = parseBatchValue({ operations: args.operations, requested_by: ctx.agent().requestedBy });
        const result = await ctx.engine.validate(batch, { source: 'mcp' });
        const issues = bounded(result.issues);
        const warnings = bounded(result.warnings);
        const out = {
          valid: result.valid,
          issues: issues.shown,
          issues_total: issues.total,
          warnings: warnings.shown,
          warnings_total: warnings.total,
          estimated_time_seconds: result.estimated_time_seconds,
          total_size_bytes: result.total_size_bytes,
          plan_hash: result.plan_hash,
        };
        const first = result.issues[0];
        const text = result.valid
          ? `valid: ${batch.operations.length} operation(s), ${warnings.total} warning(s), plan_hash ${result.plan_hash}`
          : `not valid: ${issues.total} issue(s); first ${first?.code} at operation ${first?.index}: ${clip(first?.message ?? '')}`;
        return answer(out, text);
      }),
  );
}
