// execute_batch: the seed server's tool. Submits the batch to the engine's queue (the same preflight,
// validation and caps as every caller), waits for its end, reports progress, and cancels the batch
// when the client cancels the request (docs/mcp.md#execute_batch).
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { z } from 'zod';

import { parseBatchValue, type BatchResult } from '../../../domain/index.js';
import { clip, firstOf } from '../bounds.js';
import { forwardProgress } from '../progress.js';
import { guarded, judged } from '../render.js';
import { executeBatchInput, executeBatchOutput } from '../schemas.js';
import { UNTRUSTED_NOTE, type ToolContext } from '../tool-context.js';

type Output = z.infer<typeof executeBatchOutput>;

export function toExecuteOutput(result: BatchResult): Output {
  const errors = firstOf(result.errors);
  return {
    batch_id: result.batch_id,
    status: result.status,
    success_count: result.success_count,
    failure_count: result.failure_count,
    rollback_available: result.rollback_available,
    backup_id: result.backup_id,
    errors: errors.shown.map((e) => ({ index: e.index, type: e.type, path: clip(e.path), code: e.code, message: clip(e.message) })),
    errors_total: errors.total,
    commit: result.commit,
    ...(result.reason
      ? {
          reason: {
            code: result.reason.code,
            message: clip(result.reason.message),
            ...(result.reason.hint ? { hint: result.reason.hint } : {}),
          },
        }
      : {}),
    ...(result.idempotent_replay ? { idempotent_replay: true } : {}),
    ...(result.validation ? { plan_hash: result.validation.plan_hash } : {}),
  };
}

function summary(out: Output): string {
  const counts = `${out.success_count} succeeded, ${out.failure_count} failed`;
  const why = out.reason ? ` (${out.reason.code}: ${out.reason.message})` : '';
  const commit = out.commit ? `, commit ${out.commit.slice(0, 12)}` : '';
  return `batch ${out.batch_id} ${out.status}${why}: ${counts}${commit}${out.idempotent_replay ? ' (an earlier batch with this idempotency_key)' : ''}`;
}

export function registerExecuteBatch(server: McpServer, ctx: ToolContext): void {
  server.registerTool(
    'execute_batch',
    {
      title: 'Execute a batch of file operations',
      description:
        'Validate, apply and commit file operations (write, copy, move, rename, delete, replace) as one tagged git commit. ' +
        'The emergency stop, circuit breakers and budget of batch-control.json apply as for every caller, and at most ' +
        'policy.limits.max_operations_per_batch_mcp operations (default 50). Nothing is committed unless the whole batch passes ' +
        'validation; a failed or cancelled batch is rolled back. Call validate_batch first and pass its plan_hash to be sure ' +
        'nothing changed in between. Sends progress notifications when the request carries a progress token; cancelling the ' +
        'request cancels the batch.' +
        UNTRUSTED_NOTE,
      inputSchema: executeBatchInput,
      outputSchema: executeBatchOutput,
      annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true },
    },
    (args, extra) =>
      guarded(async () => {
        const agent = ctx.agent();
        const batch = parseBatchValue({
          operations: args.operations,
          requested_by: agent.requestedBy,
          ...(args.title === undefined ? {} : { title: args.title }),
          ...(args.ecosystem === undefined ? {} : { ecosystem: args.ecosystem }),
          options: {
            ...(args.validation === undefined ? {} : { validation: args.validation }),
            ...(args.createBackup === undefined ? {} : { createBackup: args.createBackup }),
            ...(args.dry_run === undefined ? {} : { dry_run: args.dry_run }),
            ...(args.idempotency_key === undefined ? {} : { idempotency_key: args.idempotency_key }),
          },
        });
        const options = {
          source: 'mcp',
          agent: agent.trailer,
          identity: agent.requestedBy,
          ...(args.plan_hash === undefined ? {} : { planHash: args.plan_hash }),
        };
        if (batch.options.dry_run) {
          // A dry run changes nothing and is not queued (the engine runs it in its turn, under the lock).
          const out = toExecuteOutput(await ctx.engine.run(batch, { ...options, dryRun: true, signal: extra.signal }));
          return judged(out, summary(out));
        }
        // Not durable: a batch whose client is gone must not run later (as the CLI's foreground run).
        const submitted = await ctx.engine.submit(batch, { ...options, durable: false });
        const id = submitted.batch_id;
        const token = extra._meta?.progressToken;
        const unfollow =
          token === undefined
            ? () => undefined
            : forwardProgress(
                ctx.engine,
                id,
                (params) => extra.sendNotification({ method: 'notifications/progress', params: { progressToken: token, ...params } }),
                (error) => ctx.logger.debug({ err: error, batch_id: id }, 'a progress notification was not sent'),
              );
        const cancel = (): void => {
          try {
            ctx.engine.cancel(id, `the MCP client ${agent.requestedBy} cancelled the request`);
            ctx.logger.info({ batch_id: id, agent: agent.trailer }, 'the client cancelled the request: batch cancelled');
          } catch (error) {
            ctx.logger.info({ err: error, batch_id: id }, 'the client cancelled the request after the batch ended');
          }
        };
        // A replay is an earlier batch (perhaps another caller's): cancelling this request must not cancel it.
        if (!submitted.idempotent_replay) {
          extra.signal.addEventListener('abort', cancel, { once: true });
          if (extra.signal.aborted) cancel(); // cancelled while it was being queued
        }
        try {
          const result = await ctx.engine.wait(id);
          const out = toExecuteOutput(submitted.idempotent_replay ? { ...result, idempotent_replay: true } : result);
          return judged(out, summary(out));
        } finally {
          extra.signal.removeEventListener('abort', cancel);
          unfollow();
        }
      }),
  );
}
