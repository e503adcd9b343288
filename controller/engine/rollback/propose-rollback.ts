// `rollback --pr` (docs/github-api.md#pull-requests): the revert is committed on a new branch batch/<id>, pushed
// there and proposed as a pull request, like `run --pr`. The reverted batch turns `rolled_back` when reindex
// finds the revert's Reverts-Batch commit on the branch (no rollback/<id> tag is made before that).
import { BATCH_STATUS } from '../../domain/index.js';
import type { EngineDeps } from '../engine-deps.js';
import { onProposalBranch, openProposalPull, planProposal } from '../run/proposal.js';
import { trailerBlock } from '../run/proposal-text.js';
import type { RollbackOptions, RollbackResult } from './rollback-batch.js';

type Job = (runId: string, options: RollbackOptions) => Promise<RollbackResult>;

function rollbackBody(result: RollbackResult, message: string): string {
  const paths = [...result.restored.map((p) => `| restore | \`${p}\` |`), ...result.deleted.map((p) => `| delete | \`${p}\` |`)];
  return [
    `Reverts batch \`${result.batch_id}\` as batch \`${result.rollback_batch_id ?? ''}\`: ${result.restored.length} path(s) restored, ${result.deleted.length} deleted.`,
    '',
    '| action | path |',
    '|---|---|',
    ...paths.slice(0, 50),
    ...(paths.length > 50 ? ['', `…and ${paths.length - 50} more.`] : []),
    '',
    '```',
    trailerBlock(message),
    '```',
  ].join('\n');
}

export async function proposeRollback(
  { deps, job }: { deps: EngineDeps; job: Job },
  batchId: string,
  { pr = {}, ...options }: RollbackOptions,
): Promise<RollbackResult> {
  const proposal = await planProposal(deps, 'rollback', pr);
  const result = await onProposalBranch(deps, proposal, () =>
    job(proposal.batchId, { ...options, proposal: { remote: proposal.remote }, apiWrites: (options.apiWrites ?? 0) + proposal.writes }),
  );
  if (result.status !== BATCH_STATUS.proposed || !result.commit) return result;
  const message = (await deps.git.readCommit(result.commit)).message;
  const ecosystem = deps.store.batches.get(batchId)?.ecosystem ?? 'default';
  const github = await openProposalPull(proposal, {
    title: `Revert batch ${batchId}`,
    body: rollbackBody(result, message),
    labels: ['batch', 'rollback', `ecosystem:${ecosystem}`],
    done: result.github,
  });
  return { ...result, github };
}
