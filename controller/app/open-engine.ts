// Composition root: builds git, store, bus and engine for one repository.
import { join, resolve } from 'node:path';

import { createEngine, createEventBus, type Engine } from '../engine/index.js';
import { openGit } from '../git/index.js';
import { createLogger } from '../log/index.js';
import { openStore } from '../store/index.js';
import { readEnvironment, type Environment } from './environment.js';

export interface OpenEngineOptions {
  /** any folder inside the repository (default: the current directory) */
  repo?: string;
  /** SQLite file (default: <git-dir>/batchctl/state.db) */
  db?: string;
  env?: Environment;
}

/** @example const engine = await openEngine({ repo: '/srv/registry' }); */
export async function openEngine({ repo = process.cwd(), db, env = readEnvironment() }: OpenEngineOptions = {}): Promise<Engine> {
  const logger = createLogger({ level: env.BATCHCTL_LOG_LEVEL });
  const git = await openGit({
    dir: resolve(repo),
    identity: { name: env.BATCHCTL_AUTHOR_NAME, email: env.BATCHCTL_AUTHOR_EMAIL },
  });
  const stateDir = join(git.gitDir, 'batchctl');
  const store = openStore({ file: db ? resolve(db) : join(stateDir, 'state.db') });
  const now = () => new Date();
  const bus = createEventBus({ store, now });
  return createEngine({ git, store, bus, logger, stateDir, now, ...(env.BATCHCTL_SIGNING_KEY ? { signingKey: env.BATCHCTL_SIGNING_KEY } : {}) });
}
