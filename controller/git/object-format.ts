// The hash behind object ids: SHA-1, or SHA-256 (`git init --object-format=sha256`). Every id that
// batchctl writes itself (the null id below) must have the repository's length, or git rejects it.
export type ObjectFormat = 'sha1' | 'sha256';

/** The all-zero id: "no object" in `update-ref` and `update-index --index-info` input. */
export function zeroOid(format: ObjectFormat): string {
  return '0'.repeat(format === 'sha1' ? 40 : 64);
}
