// Ref updates as one compare-and-swap transaction (`update-ref --stdin`): HEAD's branch, the batch
// tag and the backup ref move together or not at all, so a crash never leaves a commit without its tag.
import type { GitRunner } from './runner.js';

export const ZERO_OID = '0000000000000000000000000000000000000000';

export type RefUpdate =
  | { kind: 'update'; ref: string; newOid: string; oldOid: string | null }
  | { kind: 'create'; ref: string; newOid: string }
  | { kind: 'delete'; ref: string; oldOid: string };

/** All or nothing; fails (GitError) if any ref is not at its expected old value. */
export async function updateRefs(git: GitRunner, updates: readonly RefUpdate[], reason: string): Promise<void> {
  const lines = updates.map((u) => {
    if (u.kind === 'create') return `create ${u.ref}\0${u.newOid}\0`;
    if (u.kind === 'delete') return `delete ${u.ref}\0${u.oldOid}\0`;
    return `update ${u.ref}\0${u.newOid}\0${u.oldOid ?? ZERO_OID}\0`;
  });
  await git.exec(['update-ref', '-m', reason, '-z', '--stdin'], { input: lines.join('') });
}

/** The commit a ref points at (peeling tags), or null when it does not exist (an unborn HEAD). */
export async function resolveCommit(git: GitRunner, ref: string): Promise<string | null> {
  return revParse(git, `${ref}^{commit}`);
}

/** The object a name points at as it is (a tag stays the tag), or null when it does not exist. */
export async function revParse(git: GitRunner, name: string): Promise<string | null> {
  const { stdout, exitCode } = await git.exec(['rev-parse', '-q', '--verify', '--end-of-options', name], { okExitCodes: [1, 128] });
  return exitCode === 0 ? stdout.toString('utf8').trim() : null;
}
