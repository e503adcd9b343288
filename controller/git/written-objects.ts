// A commit or tag git just wrote, read back before anything names it
// (docs/lifecycle.md#durability-and-concurrency): it must be stored (git may print an id it could
// not write) and hold what it was given (a message cut short is still a valid commit).
import type { ObjectReader } from './object-reader.js';
import { tagBody, type CommitInput, type TagInput } from './plumbing.js';
import { writeUnverified } from './write-unverified.js';

/** The commit `oid`, as `commit-tree` was asked to write it: its tree, parent and message. */
export async function expectCommit(reader: ObjectReader, { oid, input }: { oid: string; input: CommitInput }): Promise<string> {
  const object = await reader.read(oid);
  const text = object?.type === 'commit' ? object.content.toString('utf8') : null;
  const split = text?.indexOf('\n\n') ?? -1;
  // Headers git adds from configuration (an encoding) may be there too: the ones asked for must be.
  const headers = text === null || split === -1 ? [] : text.slice(0, split).split('\n');
  const parents = headers.filter((line) => line.startsWith('parent '));
  const asked =
    text !== null &&
    split !== -1 &&
    headers[0] === `tree ${input.tree}` &&
    parents.join('\n') === (input.parent ? `parent ${input.parent}` : '') &&
    text.slice(split + 2) === input.message;
  if (!asked) {
    const what = object
      ? 'git commit-tree wrote a commit other than the one asked for'
      : 'git commit-tree printed the id of a commit that is not stored';
    throw writeUnverified({ what, data: { oid } });
  }
  return oid;
}

/** The tag object `oid`, byte for byte as `mktag` was given it. */
export async function expectTag(reader: ObjectReader, { oid, input }: { oid: string; input: TagInput }): Promise<string> {
  const object = await reader.read(oid);
  if (object?.type !== 'tag' || !object.content.equals(Buffer.from(tagBody(input), 'utf8'))) {
    const what = object ? 'git mktag wrote a tag other than the one asked for' : 'git mktag printed the id of a tag that is not stored';
    throw writeUnverified({ what, data: { oid, tag: input.name } });
  }
  return oid;
}
