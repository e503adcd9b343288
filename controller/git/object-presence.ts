// Every object a ref is about to name, proven stored, with one `cat-file --batch-check`
// (docs/lifecycle.md#durability-and-concurrency): git may print an id it could not write.
import type { GitRunner } from './runner.js';
import { writeUnverified } from './write-unverified.js';

/**
 * Throws GIT_WRITE_UNVERIFIED naming the objects that are not in the repository as the type given.
 * `what` says whose output the ids were (`git mktree`).
 * @example await expectObjects(runner, { objects: [{ oid: tree, type: 'tree' }], what: 'git mktree' })
 */
export async function expectObjects(
  git: GitRunner,
  { objects, what }: { objects: ReadonlyArray<{ oid: string; type: string }>; what: string },
): Promise<void> {
  if (objects.length === 0) return;
  const { stdout } = await git.exec(['cat-file', '--batch-check=%(objectname) %(objecttype)'], {
    input: objects.map((o) => o.oid).join('\n') + '\n',
  });
  // "<oid> <type>", or "<oid> missing"; one line per id asked, in order (fewer: its input was cut)
  const lines = stdout.toString('utf8').split('\n');
  const missing = objects.filter(({ oid, type }, i) => lines[i] !== `${oid} ${type}`);
  if (missing.length > 0) {
    throw writeUnverified({ what: `${what} printed ids of objects that are not stored`, data: { missing: missing.slice(0, 20) } });
  }
}
