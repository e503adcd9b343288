// An in-process engine on a test repository (real git, real SQLite file).
import { afterEach } from 'vitest';

import { openEngine, type Environment } from '../../controller/app/index.js';
import type { Engine } from '../../controller/engine/index.js';
import { parseBatchValue, type Batch, type BatchInput } from '../../controller/domain/index.js';
import { gitRepo, removeRepo, type TestRepo } from './git-repo.js';

export async function engineFor(repo: TestRepo, env: Partial<Environment> = {}, now?: () => Date): Promise<Engine> {
  return openEngine({
    ...(now ? { now } : {}),
    repo: repo.dir,
    env: { BATCHCTL_LOG_LEVEL: 'silent', BATCHCTL_AUTHOR_NAME: 'batchctl', BATCHCTL_AUTHOR_EMAIL: 'batchctl@localhost', ...env },
  });
}

/** A batch from a partial document, with the schema's defaults filled in. */
export function batch(input: Partial<BatchInput> & Pick<BatchInput, 'operations'>): Batch {
  return parseBatchValue({ title: 'test batch', ecosystem: 'npm', requested_by: 'tester', ...input });
}

/**
 * Per-test repositories with an engine each, closed and removed after every test.
 * @example const setup = useEngineRepos(); const { repo, engine } = await setup({ 'a.txt': 'x' });
 */
export function useEngineRepos(): (
  files?: Record<string, string>,
  options?: { control?: boolean },
) => Promise<{ repo: TestRepo; engine: Engine }> {
  const opened: Array<{ repo: TestRepo; engine: Engine }> = [];
  afterEach(async () => {
    for (const { repo, engine } of opened.splice(0)) {
      await engine.close();
      removeRepo(repo);
    }
  });
  return async (files = {}, options = {}) => {
    const repo = gitRepo(files, options);
    const engine = await engineFor(repo);
    opened.push({ repo, engine });
    return { repo, engine };
  };
}
