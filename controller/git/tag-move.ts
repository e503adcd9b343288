// Moving an annotated tag to another commit (reindex of a squash-merged batch): a new tag object with
// the old one's tagger and message, swapped in with compare-and-swap so a concurrent move is never lost.
import type { ObjectFormat } from './object-format.js';
import type { ReadRef } from './ref-outcome.js';
import { updateRefs } from './refs.js';
import type { GitRunner } from './runner.js';
import { writeUnverified } from './write-unverified.js';

/**
 * Point `refs/tags/<name>` from `fromCommit` (as the caller saw it) at `commit`. HEAD_MOVED when the
 * tag no longer points at `fromCommit`. Returns the new tag object (the commit, for a lightweight tag).
 */
export async function moveTag(
  git: GitRunner,
  {
    name,
    commit,
    fromCommit,
    objectFormat,
    readRef,
  }: { name: string; commit: string; fromCommit: string; objectFormat: ObjectFormat; readRef: ReadRef },
): Promise<string> {
  const ref = `refs/tags/${name}`;
  const [held, peeled] = await Promise.all(
    [ref, `${ref}^{commit}`].map(async (rev) =>
      (await git.exec(['rev-parse', '--verify', '--quiet', rev], { okExitCodes: [1] })).stdout.toString('utf8').trim(),
    ),
  );
  // The swap is against the object the ref holds; that it still peels to fromCommit is checked here.
  const expectedOld = peeled === fromCommit && held ? held : fromCommit;
  const type = await git.text(['cat-file', '-t', expectedOld]);
  let newOid = commit;
  if (type === 'tag') {
    const raw = (await git.exec(['cat-file', 'tag', expectedOld])).stdout.toString('utf8');
    const split = raw.indexOf('\n\n');
    const header = split < 0 ? raw : raw.slice(0, split);
    const message = split < 0 ? '' : raw.slice(split + 2);
    const tagger = header.split('\n').find((line) => line.startsWith('tagger ')) ?? '';
    const body = `object ${commit}\ntype commit\ntag ${name}\n${tagger ? `${tagger}\n` : ''}\n${message}`;
    newOid = await git.text(['mktag'], { input: body });
    // read back before the ref names it, as a batch's tags are (written-objects.ts)
    const stored = await git.exec(['cat-file', 'tag', newOid], { okExitCodes: [128] });
    if (stored.exitCode !== 0 || stored.stdout.toString('utf8') !== body) {
      throw writeUnverified({ what: 'git mktag wrote a tag other than the one asked for', data: { oid: newOid, tag: name } });
    }
  }
  await updateRefs(git, {
    updates: [{ kind: 'update', ref, newOid, oldOid: expectedOld }],
    reason: `batchctl reindex: ${name} follows its squash-merged commit`,
    objectFormat,
    readRef,
  });
  return newOid;
}
