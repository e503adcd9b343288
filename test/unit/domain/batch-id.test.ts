import { describe, expect, it } from 'vitest';

import { isBatchId, newBatchId } from '../../../controller/domain/index.js';

describe('batch ids', () => {
  it('formats the UTC time and six base-36 characters', () => {
    expect(newBatchId(new Date('2026-11-22T10:15:00Z'))).toMatch(/^b-20261122-101500-[0-9a-z]{6}$/);
  });

  it('stays unique for 100,000 ids made in the same second', () => {
    const now = new Date('2026-11-22T10:15:00Z');
    const ids = new Set(Array.from({ length: 100_000 }, () => newBatchId(now)));
    expect(ids.size).toBe(100_000);
  });

  it.each(['b-20261122-101500-7k3m9q'])('accepts %s', (id) => expect(isBatchId(id)).toBe(true));
  it.each([
    'b-20261122-101500-7k3m9',
    'b-20261122-101500-7k3m9qq',
    'xb-20261122-101500-7k3m9q',
    'b-20261122-101500-7K3M9Q',
    'b-20261122-101500-7k3m9q\n',
    ' b-20261122-101500-7k3m9q',
    'b-2026112-101500-7k3m9q',
  ])('refuses the near miss %j (exact match, never a prefix)', (id) => expect(isBatchId(id)).toBe(false));
});
