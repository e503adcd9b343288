// A test repository's control policy (batch-control.json `policy`, docs/control-file.md) set for one
// test: a breaker that opens at the first failure, a budget limit; committed so the engine reads it.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import type { TestRepo } from './git-repo.js';

/** The repository's control policy edited by `edit`, committed. */
export function withPolicy(repo: TestRepo, edit: (policy: Record<string, unknown>) => void): void {
  const file = join(repo.dir, 'batch-control.json');
  const control = JSON.parse(readFileSync(file, 'utf8')) as { policy: Record<string, unknown> };
  edit(control.policy);
  writeFileSync(file, JSON.stringify(control, null, 2));
  repo.commitAll('policy for the test');
}
