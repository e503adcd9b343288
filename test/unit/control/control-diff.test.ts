// controlDiff names what an edit of the control file changed, two levels deep.
import { describe, expect, it } from 'vitest';

import { controlDiff } from '../../../controller/control/index.js';

describe('controlDiff', () => {
  it('names changed top-level fields and, inside objects, the changed member', () => {
    const before = { enabled: true, reason: '', circuit_breaker: { npm: { state: 'open' }, pypi: { state: 'closed' } }, policy: { a: 1 } };
    const after = { enabled: true, reason: 'fixed', circuit_breaker: { npm: { state: 'closed' }, pypi: { state: 'closed' } }, x: 1 };
    expect(controlDiff(before, after)).toEqual(['circuit_breaker.npm', 'policy', 'reason', 'x']);
  });

  it('is empty for equal JSON, whatever the key order', () => {
    expect(controlDiff({ a: 1, b: { c: [1, 2] } }, { b: { c: [1, 2] }, a: 1 })).toEqual([]);
  });
});
