// store.stats: the dashboard's 7-day aggregates computed by SQLite, on a real database.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { openStore, type Store } from '../../../controller/store/index.js';
import { batchRow, tempDbFile } from './fixtures.js';

describe('store.stats', () => {
  let store: Store;
  let n = 0;
  const add = (created_at: string, status: string, ecosystem = 'npm'): void =>
    store.batches.insert(
      batchRow({ batch_id: `b-20250101-000000-${String(n++).padStart(4, '0')}`, created_at, status: status as never, ecosystem }),
    );
  beforeEach(() => {
    store = openStore({ file: tempDbFile() });
  });
  afterEach(() => store.close());

  it('counts batches per UTC hour and status, from `since` on, oldest hour first', () => {
    add('2025-01-01T09:59:59.999Z', 'completed'); // before the window
    add('2025-01-01T10:00:00.000Z', 'completed');
    add('2025-01-01T10:30:00.000Z', 'completed');
    add('2025-01-01T10:59:00.000Z', 'failed');
    add('2025-01-01T12:05:00.000Z', 'refused', 'pypi');
    expect(store.stats.hourly('2025-01-01T10:00:00.000Z')).toEqual([
      { hour: '2025-01-01T10:00:00Z', status: 'completed', count: 2 },
      { hour: '2025-01-01T10:00:00Z', status: 'failed', count: 1 },
      { hour: '2025-01-01T12:00:00Z', status: 'refused', count: 1 },
    ]);
  });

  it('rates each ecosystem on the batches that ran to an outcome (a rolled-back batch had succeeded; refused and cancelled are left out)', () => {
    add('2025-01-02T00:00:00.000Z', 'completed');
    add('2025-01-02T00:00:01.000Z', 'rolled_back');
    add('2025-01-02T00:00:02.000Z', 'failed');
    add('2025-01-02T00:00:03.000Z', 'failed');
    add('2025-01-02T00:00:04.000Z', 'refused');
    add('2025-01-02T00:00:05.000Z', 'cancelled');
    add('2025-01-02T00:00:06.000Z', 'completed', 'cargo');
    add('2024-12-01T00:00:00.000Z', 'failed', 'cargo'); // before the window
    expect(store.stats.ecosystemRates('2025-01-01T00:00:00.000Z')).toEqual([
      { ecosystem: 'cargo', batches: 1, succeeded: 1, success_rate: 1 },
      { ecosystem: 'npm', batches: 4, succeeded: 2, success_rate: 0.5 },
    ]);
  });

  it('answers empty lists for an empty window', () => {
    expect(store.stats.hourly('2025-01-01T00:00:00.000Z')).toEqual([]);
    expect(store.stats.ecosystemRates('2025-01-01T00:00:00.000Z')).toEqual([]);
  });
});
