// Was this commit made by batchctl? Complete trailer block, the batch tag pointing at it, and with a
// signing key a valid Batch-Sig. A hand-typed `Batch-Id:` line passes none of that (docs/lifecycle.md#rollback, §12).
import { REQUIRED_BATCH_TRAILERS, TRAILER } from '../../domain/index.js';
import { parseTrailers, type Git } from '../../git/index.js';
import { verifyBatchSignature } from '../batch-signature.js';

export interface VerifiedCommit {
  commit: string;
  trailers: Map<string, string>;
  /** why batchctl does not recognise it; empty when it does */
  problems: string[];
}

export async function verifyBatchCommit({
  git,
  commit,
  batchId,
  tagged,
  signingKey,
}: {
  git: Git;
  commit: string;
  batchId: string;
  tagged: string | null;
  signingKey?: string | undefined;
}): Promise<VerifiedCommit> {
  const info = await git.readCommit(commit);
  const trailers = parseTrailers(info.message);
  const problems: string[] = [];
  const missing = REQUIRED_BATCH_TRAILERS.filter((key) => !trailers.has(key));
  if (missing.length > 0) problems.push(`the trailer block is incomplete (missing ${missing.join(', ')})`);
  if (trailers.get(TRAILER.batchId) !== batchId) problems.push(`its ${TRAILER.batchId} trailer is not ${batchId}`);
  for (const key of [TRAILER.operations, TRAILER.failed]) {
    if (trailers.has(key) && !/^\d+$/.test(trailers.get(key) ?? '')) problems.push(`${key} is not a number`);
  }
  if (tagged !== commit) problems.push(`the tag batch/${batchId} does not point at it`);
  if (signingKey) {
    const signature = trailers.get(TRAILER.signature);
    const parent = info.parents[0] ?? null;
    if (!signature) problems.push(`it has no ${TRAILER.signature} trailer although a signing key is configured`);
    else if (!verifyBatchSignature({ key: signingKey, batchId, tree: info.tree, parent, signature })) {
      problems.push(`its ${TRAILER.signature} does not verify with the configured key`);
    }
  }
  return { commit, trailers, problems };
}
