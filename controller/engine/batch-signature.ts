// Batch authenticity (docs/lifecycle.md#how-batchctl-drives-git): anyone can type a `Batch-Id:` line; only a holder of the signing key
// can produce the `Batch-Sig` trailer, an HMAC-SHA256 over the id, the tree and the parent.
import { createHmac, timingSafeEqual } from 'node:crypto';

export function signBatch({ key, batchId, tree, parent }: { key: string; batchId: string; tree: string; parent: string | null }): string {
  return createHmac('sha256', key)
    .update(`${batchId}\n${tree}\n${parent ?? ''}`)
    .digest('hex');
}

export function verifyBatchSignature(args: {
  key: string;
  batchId: string;
  tree: string;
  parent: string | null;
  signature: string;
}): boolean {
  const expected = Buffer.from(signBatch(args), 'hex');
  const given = Buffer.from(/^[0-9a-f]{64}$/.test(args.signature) ? args.signature : '', 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
