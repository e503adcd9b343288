// The revert-scope guard (docs/lifecycle.md#rollback) lets a revert follow the batch's own paths to where they were
// renamed, and nowhere else.
import { describe, expect, it } from 'vitest';

import { checkRevertScope } from '../../../controller/engine/rollback/check-revert-scope.js';

const entry = { mode: '100644', oid: 'a'.repeat(40) };
const commits = [
  {
    commit: 'c'.repeat(40),
    trailers: new Map([['Batch-Operations', '1']]),
    changes: [{ path: 'recipes/a.toml', before: entry, after: entry }],
  },
];

describe('checkRevertScope', () => {
  it('allows the path a batch path was renamed to', () => {
    expect(() =>
      checkRevertScope({
        batchId: 'b',
        commits,
        planned: ['recipes/x/a.toml'],
        renamed: new Map([['recipes/a.toml', 'recipes/x/a.toml']]),
      }),
    ).not.toThrow();
  });

  it('refuses a renamed path whose source the batch did not change (ROLLBACK_UNSAFE)', () => {
    expect(() =>
      checkRevertScope({
        batchId: 'b',
        commits,
        planned: ['recipes/x/o.toml'],
        renamed: new Map([['recipes/o.toml', 'recipes/x/o.toml']]),
      }),
    ).toThrow(expect.objectContaining({ code: 'ROLLBACK_UNSAFE' }));
  });
});
