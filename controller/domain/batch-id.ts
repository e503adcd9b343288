// Batch ids: b-YYYYMMDD-HHMMSS-xxxxxx, made by batchctl only and always checked by exact match (SPEC §4).
import { randomInt } from 'node:crypto';

import { z } from 'zod';

export const BATCH_ID_PATTERN = /^b-\d{8}-\d{6}-[0-9a-z]{6}$/;
export const batchIdSchema = z.string().regex(BATCH_ID_PATTERN, 'a batch id looks like b-20261122-101500-7k3m9q');

const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';

/** True only for a whole, well-formed id: never a prefix or a substring. */
export function isBatchId(value: string): boolean {
  return BATCH_ID_PATTERN.test(value);
}

/**
 * A new id for `now` (UTC). The 6 random characters give 36^6 ≈ 2.2e9 ids per second; callers still
 * insert with a UNIQUE constraint and create the tag with compare-and-swap, so a collision is caught.
 * @example newBatchId(new Date('2026-11-22T10:15:00Z')) // 'b-20261122-101500-7k3m9q'
 */
export function newBatchId(now: Date = new Date()): string {
  const iso = now.toISOString(); // 2026-11-22T10:15:00.000Z
  const date = iso.slice(0, 10).replaceAll('-', '');
  const time = iso.slice(11, 19).replaceAll(':', '');
  let suffix = '';
  for (let i = 0; i < 6; i++) suffix += ALPHABET[randomInt(ALPHABET.length)];
  return `b-${date}-${time}-${suffix}`;
}
