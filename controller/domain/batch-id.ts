// Batch ids: b-YYYYMMDD-HHMMSS-xxxxxx, made by batchctl only and always checked by exact match (docs/lifecycle.md#the-steps-of-a-run).
import { randomInt } from 'node:crypto';

import { z } from 'zod';

export const BATCH_ID_PATTERN = /^b-\d{8}-\d{6}-[0-9a-z]{6}$/;
export const batchIdSchema = z.string().regex(BATCH_ID_PATTERN, 'a batch id looks like b-20261122-101500-7k3m9q');

const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';

/** True only for a whole, well-formed id: never a prefix or a substring. */
export function isBatchId(value: string): boolean {
  return BATCH_ID_PATTERN.test(value);
}

const SPACE = 36 ** 6;
/** Per process and second: a random start, then consecutive suffixes, so ids never repeat here. */
let sequence: { second: string; next: number } = { second: '', next: 0 };

/**
 * A new id for `now` (UTC). Within one process the suffixes of one second are consecutive from a
 * random start (unique by construction); across processes the random start makes a clash unlikely,
 * and callers insert with a UNIQUE constraint and create the tag with compare-and-swap anyway.
 * @example newBatchId(new Date('2026-11-22T10:15:00Z')) // 'b-20261122-101500-7k3m9q'
 */
export function newBatchId(now: Date = new Date()): string {
  const iso = now.toISOString(); // 2026-11-22T10:15:00.000Z
  const second = `${iso.slice(0, 10).replaceAll('-', '')}-${iso.slice(11, 19).replaceAll(':', '')}`;
  if (sequence.second !== second) sequence = { second, next: randomInt(SPACE) };
  let n = sequence.next;
  sequence.next = (n + 1) % SPACE;
  let suffix = '';
  for (let i = 0; i < 6; i++, n = Math.floor(n / 36)) suffix = ALPHABET[n % 36] + suffix;
  return `b-${second}-${suffix}`;
}
