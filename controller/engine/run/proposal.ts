// The steps every proposal shares (`run --pr`, `rollback --pr`; docs/github-api.md#pull-requests): where it goes
// (the upstream's remote, the base branch), the side branch batch/<id> the work commits on, and its pull request.
import { newBatchId, PROPOSAL_BRANCH_PREFIX, type GitHubOutcome } from '../../domain/index.js';
import { BatchctlError, toBatchctlError } from '../../errors/index.js';
import { leaveProposalBranch, startProposalBranch } from '../../git/index.js';
import type { EngineDeps } from '../engine-deps.js';
import type { GitHubPort } from '../github/github-port.js';
import { mergeGitHubOutcome } from '../github/github-reporter.js';

export interface ProposalRequest {
  /** the branch the pull request merges into (default: the current branch's upstream branch) */
  base?: string;
  /** enable auto-merge (merge commit) on the pull request */
  autoMerge?: boolean;
}

export interface Proposal {
  github: GitHubPort;
  /** the id the proposed batch gets, assigned before it runs: its branch is named by it */
  batchId: string;
  branch: string;
  remote: string;
  base: string;
  autoMerge: boolean;
  /** the GitHub writes it makes: the pull request, its labels, auto-merge (the budget's api_writes) */
  writes: number;
}

/** Where a proposal goes; GITHUB_OFF without GitHub, USAGE on a branch with no upstream. Nothing changes. */
export async function planProposal(deps: EngineDeps, command: string, { base, autoMerge = false }: ProposalRequest): Promise<Proposal> {
  const github = deps.github;
  if (!github) {
    throw new BatchctlError({
      code: 'GITHUB_OFF',
      message: `${command} --pr is off: the engine has no GitHub access`,
      hint: 'set GITHUB_TOKEN and GITHUB_REPOSITORY',
    });
  }
  const upstream = await deps.git.upstream();
  if (!upstream) {
    throw new BatchctlError({
      code: 'USAGE',
      message: `${command} --pr pushes to a new branch of the current branch's remote, and this branch has no upstream`,
      hint: `push the branch with \`git push -u origin <branch>\` first, or ${command} without --pr`,
    });
  }
  const batchId = newBatchId(deps.now());
  return {
    github,
    batchId,
    branch: `${PROPOSAL_BRANCH_PREFIX}${batchId}`,
    remote: upstream.remote,
    base: base ?? upstream.remoteRef.replace(/^refs\/heads\//, ''),
    autoMerge,
    writes: autoMerge ? 3 : 2,
  };
}

/** Runs `work` with HEAD on the proposal's branch, and puts HEAD back on its branch whatever happens. */
export async function onProposalBranch<T>(deps: EngineDeps, proposal: Proposal, work: () => Promise<T>): Promise<T> {
  const back = await startProposalBranch(deps.git.runner, proposal.branch);
  try {
    return await work();
  } finally {
    await leaveProposalBranch(deps.git.runner, { branch: proposal.branch, back });
  }
}

/** Opens the pull request; a GitHub failure leaves the pushed proposal standing and is said as a warning. */
export async function openProposalPull(
  proposal: Proposal,
  { title, body, labels, done = {} }: { title: string; body: string; labels: string[]; done?: GitHubOutcome | undefined },
): Promise<GitHubOutcome> {
  try {
    const pull = await proposal.github.openPullRequest({
      head: proposal.branch,
      base: proposal.base,
      title,
      body,
      labels,
      autoMerge: proposal.autoMerge,
    });
    return mergeGitHubOutcome(done, { pull_request: pull });
  } catch (error) {
    const failure = toBatchctlError(error);
    const warning = {
      code: failure.code,
      message: `batch ${proposal.batchId} is committed on ${proposal.branch} and pushed; its pull request was not opened: ${failure.detail}`,
      hint: failure.hint ?? `open it by hand from ${proposal.branch} into ${proposal.base}`,
      ...(Object.keys(failure.data).length > 0 ? { data: failure.data } : {}),
    };
    return mergeGitHubOutcome(done, { warnings: [warning] });
  }
}
