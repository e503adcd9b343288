// The content of the writes a batch did not land goes to git, not SQLite: blobs under one tree that
// refs/batchctl/retry/<batch-id> pins; the item rows name each blob (stored-operation.ts) and `retry`
// reads them back. The ref goes when retention purges the batch's rows (engine/retention/).
import { ITEM_STATUS, RETRY_REF_PREFIX } from '../../domain/index.js';
import type { ContentEntry } from '../../git/index.js';
import { stepBytes } from '../../validate/index.js';
import type { RunContext } from './run-context.js';

/** Item indexes of the writes that did not land and whose bytes are not in git yet. */
function writesToKeep(ctx: RunContext): number[] {
  const kept = ctx.retryContent?.oids;
  const indexes: number[] = [];
  if (ctx.plan) {
    for (const [id, step] of ctx.plan.steps.entries()) {
      if (step.type === 'write' && ctx.results[id]?.status !== ITEM_STATUS.succeeded && !kept?.has(id)) indexes.push(id);
    }
  } else {
    // Refused before a plan existed: every write of the document (its rows are one per operation).
    for (const [index, op] of ctx.batch.operations.entries()) if (op.type === 'write' && !kept?.has(index)) indexes.push(index);
  }
  return indexes;
}

function entryOf(ctx: RunContext, index: number): ContentEntry {
  const name = String(index);
  const step = ctx.plan?.steps[index];
  if (step) {
    // A rollback's restored file is a blob git has already (RunOptions.knownBlobs).
    const known = ctx.options.knownBlobs?.get(step.target);
    return known ? { name, oid: known } : { name, bytes: stepBytes(step.content) };
  }
  const op = ctx.batch.operations[index];
  if (op?.type !== 'write') throw new Error(`item ${index} of ${ctx.batchId} is not a write`);
  return {
    name,
    bytes: op.content_base64 !== undefined ? Buffer.from(op.content_base64, 'base64') : Buffer.from(op.content ?? '', 'utf8'),
  };
}

/**
 * Before the item rows are written: store the bytes of every write that did not land. Costs nothing
 * when every write landed. A failure is logged and the rows keep the content inline instead, so a
 * batch's outcome never depends on it and `retry` still has what it needs.
 */
export async function keepRetryContent(ctx: RunContext): Promise<void> {
  const fresh = writesToKeep(ctx);
  if (fresh.length === 0) return;
  const { git, logger } = ctx.deps;
  const previous = ctx.retryContent;
  const indexes = [...(previous?.oids.keys() ?? []), ...fresh];
  function* entries(): Generator<ContentEntry> {
    for (const [index, oid] of previous?.oids ?? []) yield { name: String(index), oid };
    for (const index of fresh) yield entryOf(ctx, index);
  }
  try {
    const { tree, oids } = await git.writeContentTree(entries());
    const ref = `${RETRY_REF_PREFIX}${ctx.batchId}`;
    await git.updateRefs(
      [previous ? { kind: 'update', ref, newOid: tree, oldOid: previous.tree } : { kind: 'create', ref, newOid: tree }],
      `batchctl: content of ${ctx.batchId} for retry`,
    );
    ctx.retryContent = { tree, oids: new Map(indexes.map((index, i) => [index, oids[i] as string])) };
  } catch (error) {
    logger.warn(
      { err: error, batch_id: ctx.batchId },
      'could not keep the content of the writes that did not land in git; their item rows hold it',
    );
  }
}
