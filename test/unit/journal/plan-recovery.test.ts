import { describe, expect, it } from 'vitest';

import type { JournalRecord } from '../../../controller/domain/index.js';
import { planRecovery } from '../../../controller/journal/index.js';

const A = 'a'.repeat(40);
const B = 'b'.repeat(40);
const C = 'c'.repeat(40);
const base: JournalRecord = {
  version: 1,
  batch_id: 'b-20261122-101500-7k3m9q',
  state: 'applying',
  head: A,
  commit: null,
  branch: null,
  pid: 1,
  pgid: null,
  hostname: 'h',
  started_at: '',
  plan_hash: '',
  touched: [],
};

describe('the recovery decision', () => {
  it('restores when HEAD is still the pre-batch commit', () => {
    expect(planRecovery(base, A)).toEqual({ action: 'restore' });
    expect(planRecovery({ ...base, state: 'committing', commit: B }, A)).toEqual({ action: 'restore' });
  });

  it('finishes when HEAD is the batch commit', () => {
    expect(planRecovery({ ...base, state: 'committing', commit: B }, B)).toEqual({ action: 'finish', commit: B });
  });

  it('is blocked when HEAD moved anywhere else (never undo work it does not know)', () => {
    expect(planRecovery(base, C).action).toBe('blocked');
    expect(planRecovery({ ...base, state: 'committing', commit: B }, C).action).toBe('blocked');
    expect(planRecovery(base, null).action).toBe('blocked');
  });

  it('handles an unborn branch', () => {
    expect(planRecovery({ ...base, head: null }, null)).toEqual({ action: 'restore' });
  });
});
