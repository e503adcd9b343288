// `run --pr` (docs/github-api.md#pull-requests): the batch is committed on a new branch batch/<id>, pushed there
// (never to the base branch), recorded `proposed`, and its pull request opened with labels `batch` and
// `ecosystem:<e>` (and auto-merge when asked). Reindex marks it `completed` once its commit is on the branch.
import { BATCH_STATUS, isBatchDocument, parseBatchDocument, type Batch, type BatchDocument, type BatchResult } from '../../domain/index.js';
import type { EngineDeps } from '../engine-deps.js';
import { onProposalBranch, openProposalPull, planProposal, type ProposalRequest } from './proposal.js';
import { proposalBody } from './proposal-text.js';
import type { RunOptions } from './run-context.js';

export interface ProposeOptions extends ProposalRequest, Omit<RunOptions, 'proposal' | 'batchId' | 'push'> {}

type Run = (batch: Batch, options: RunOptions) => Promise<BatchResult>;

export async function proposeBatch(
  { deps, run }: { deps: EngineDeps; run: Run },
  input: Batch | BatchDocument,
  { base, autoMerge, ...options }: ProposeOptions,
): Promise<BatchResult> {
  const proposal = await planProposal(deps, 'run', { ...(base ? { base } : {}), ...(autoMerge ? { autoMerge } : {}) });
  const batch = isBatchDocument(input) ? await parseBatchDocument(input) : input;
  const result = await onProposalBranch(deps, proposal, () =>
    run(batch, {
      ...options,
      batchId: proposal.batchId,
      proposal: { remote: proposal.remote },
      apiWrites: (options.apiWrites ?? 0) + proposal.writes,
    }),
  );
  if (result.status !== BATCH_STATUS.proposed || !result.commit) return result;
  const message = (await deps.git.readCommit(result.commit)).message;
  // The run filled in who asked (the document's, else the caller's identity, else the actor).
  const requestedBy = deps.store.batches.get(proposal.batchId)?.requested_by ?? batch.requested_by;
  const github = await openProposalPull(proposal, {
    title: batch.title,
    body: proposalBody({ batch: { ...batch, requested_by: requestedBy }, result, message }),
    labels: ['batch', `ecosystem:${batch.ecosystem}`],
    done: result.github,
  });
  return { ...result, github };
}
