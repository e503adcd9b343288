// `run --pr` (docs/github-api.md#pull-requests): the batch is committed on a new branch batch/<id>, pushed there
// (never to the base branch), recorded `proposed`, and its pull request opened with labels `batch` and
// `ecosystem:<e>` (and auto-merge when asked). Reindex marks it `completed` once its commit is on the branch.
import {
  BATCH_STATUS,
  isBatchDocument,
  newBatchId,
  parseBatchDocument,
  PROPOSAL_BRANCH_PREFIX,
  type Batch,
  type BatchDocument,
  type BatchResult,
} from '../../domain/index.js';
import { BatchctlError, toBatchctlError } from '../../errors/index.js';
import { leaveProposalBranch, startProposalBranch } from '../../git/index.js';
import type { EngineDeps } from '../engine-deps.js';
import type { GitHubPort } from '../github/github-port.js';
import { proposalBody } from './proposal-text.js';
import type { RunOptions } from './run-context.js';

export interface ProposeOptions extends Omit<RunOptions, 'proposal' | 'batchId' | 'push'> {
  /** the branch the pull request merges into (default: the current branch's upstream branch) */
  base?: string;
  /** enable auto-merge (merge commit) on the pull request */
  autoMerge?: boolean;
}

type Run = (batch: Batch, options: RunOptions) => Promise<BatchResult>;

/** The GitHub writes a proposal makes: the pull request, its labels, auto-merge. */
const proposalWrites = (autoMerge: boolean): number => (autoMerge ? 3 : 2);

export async function proposeBatch(
  { deps, github, run }: { deps: EngineDeps; github: GitHubPort | undefined; run: Run },
  input: Batch | BatchDocument,
  { base, autoMerge = false, ...options }: ProposeOptions,
): Promise<BatchResult> {
  if (!github) {
    throw new BatchctlError({
      code: 'GITHUB_OFF',
      message: 'run --pr is off: the engine has no GitHub access',
      hint: 'set GITHUB_TOKEN and GITHUB_REPOSITORY',
    });
  }
  const batch = isBatchDocument(input) ? await parseBatchDocument(input) : input;
  const { git } = deps;
  const upstream = await git.upstream();
  if (!upstream) {
    throw new BatchctlError({
      code: 'USAGE',
      message: "run --pr pushes the batch to a new branch of the current branch's remote, and this branch has no upstream",
      hint: 'push the branch with `git push -u origin <branch>` first, or run without --pr',
    });
  }
  const baseBranch = base ?? upstream.remoteRef.replace(/^refs\/heads\//, '');
  const batchId = newBatchId(deps.now());
  const branch = `${PROPOSAL_BRANCH_PREFIX}${batchId}`;
  const back = await startProposalBranch(git.runner, branch);
  let result: BatchResult;
  try {
    result = await run(batch, {
      ...options,
      batchId,
      proposal: { remote: upstream.remote },
      apiWrites: (options.apiWrites ?? 0) + proposalWrites(autoMerge),
    });
  } finally {
    await leaveProposalBranch(git.runner, { branch, back });
  }
  if (result.status !== BATCH_STATUS.proposed || !result.commit) return result;
  const message = (await git.readCommit(result.commit)).message;
  const done = result.github ?? {};
  // The run filled in who asked (the document's, else the caller's identity, else the actor).
  const requestedBy = deps.store.batches.get(batchId)?.requested_by ?? batch.requested_by;
  try {
    const pull = await github.openPullRequest({
      head: branch,
      base: baseBranch,
      title: batch.title,
      body: proposalBody({ batch: { ...batch, requested_by: requestedBy }, result, message }),
      labels: ['batch', `ecosystem:${batch.ecosystem}`],
      autoMerge,
    });
    return { ...result, github: { ...done, pull_request: pull } };
  } catch (error) {
    const failure = toBatchctlError(error);
    const warning = {
      code: failure.code,
      message: `batch ${batchId} is committed on ${branch} and pushed; its pull request was not opened: ${failure.detail}`,
      hint: failure.hint ?? `open it by hand from ${branch} into ${baseBranch}`,
      ...(Object.keys(failure.data).length > 0 ? { data: failure.data } : {}),
    };
    return { ...result, github: { ...done, warnings: [...(done.warnings ?? []), warning] } };
  }
}
