// An in-process engine on a test repository (real git, real SQLite file).
import { openEngine } from '../../controller/app/index.js';
import type { Engine } from '../../controller/engine/index.js';
import { parseBatchValue, type Batch, type BatchInput } from '../../controller/domain/index.js';
import type { TestRepo } from './git-repo.js';

export async function engineFor(repo: TestRepo): Promise<Engine> {
  return openEngine({
    repo: repo.dir,
    env: { BATCHCTL_LOG_LEVEL: 'silent', BATCHCTL_AUTHOR_NAME: 'batchctl', BATCHCTL_AUTHOR_EMAIL: 'batchctl@localhost' },
  });
}

/** A batch from a partial document, with the schema's defaults filled in. */
export function batch(input: Partial<BatchInput> & Pick<BatchInput, 'operations'>): Batch {
  return parseBatchValue({ title: 'test batch', ecosystem: 'npm', requested_by: 'tester', ...input });
}
