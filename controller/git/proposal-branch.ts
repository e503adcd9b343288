// The side branch a proposed batch commits on (`run --pr`, docs/github-api.md#pull-requests): HEAD moves to a new
// branch at the same commit (no checkout: the work tree and index already match it), the batch commits there,
// and HEAD goes back to the branch it came from with a checkout (the batch's files revert to that branch's).
import type { GitRunner } from './runner.js';

/**
 * Create `refs/heads/<branch>` at HEAD (refused if it exists) and point HEAD at it.
 * @returns the ref HEAD was on (refs/heads/main)
 */
export async function startProposalBranch(git: GitRunner, branch: string): Promise<string> {
  const from = await git.text(['symbolic-ref', '-q', 'HEAD']);
  const ref = `refs/heads/${branch}`;
  // An empty old value: create only, never move a branch someone already has.
  await git.exec(['update-ref', '-m', 'batchctl: proposal branch', ref, 'HEAD', '']);
  await git.exec(['symbolic-ref', '-m', 'batchctl: proposal branch', 'HEAD', ref]);
  return from;
}

/**
 * HEAD back on `ref` with its files (a checkout); the proposal branch is deleted when it holds no commit of
 * its own (the batch did not commit), and kept otherwise (its commit is the pull request's).
 */
export async function leaveProposalBranch(git: GitRunner, { branch, back }: { branch: string; back: string }): Promise<void> {
  const ref = `refs/heads/${branch}`;
  const [tip, base] = await Promise.all([git.text(['rev-parse', '--verify', ref]), git.text(['rev-parse', '--verify', back])]);
  await git.exec(['checkout', '--quiet', '--no-guess', back.replace(/^refs\/heads\//, ''), '--']);
  if (tip === base) await git.exec(['update-ref', '-d', ref, tip]);
}
