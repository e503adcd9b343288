// removedSettings names what another writer's rewrite dropped of batchctl's settings.
import { describe, expect, it } from 'vitest';

import { hasPath, removedSettings } from '../../../controller/control/index.js';

describe('removedSettings', () => {
  it('names a dropped policy, dropped policy keys, and dropped breaker history', () => {
    const before = {
      policy: { protected_paths: ['x'], budget: { limits: {}, sample_rate: 0.1 } },
      circuit_breaker: { npm: { state: 'closed', recent: 'SF' }, pypi: { state: 'closed', recent: '' } },
    };
    expect(removedSettings(before, { circuit_breaker: { npm: { state: 'closed' }, pypi: { state: 'closed' } } })).toEqual([
      'circuit_breaker.npm.recent',
      'policy',
    ]);
    expect(removedSettings(before, { policy: { budget: { limits: {} } }, circuit_breaker: before.circuit_breaker })).toEqual([
      'policy.budget.sample_rate',
      'policy.protected_paths',
    ]);
    expect(removedSettings(before, before)).toEqual([]);
  });

  it('hasPath follows dotted paths', () => {
    expect(hasPath({ a: { b: 1 } }, 'a.b')).toBe(true);
    expect(hasPath({ a: { b: 1 } }, 'a.c')).toBe(false);
  });
});
