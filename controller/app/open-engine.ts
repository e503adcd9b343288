// Composition root: builds git, store, bus and engine for one repository.
import { existsSync, renameSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join, resolve } from 'node:path';

import { createEngine, createEventBus, type Engine, type GitHubPort } from '../engine/index.js';
import { openGit } from '../git/index.js';
import { BatchctlError } from '../errors/index.js';
import { createLogger, type Logger } from '../log/index.js';
import { openStore, type Store } from '../store/index.js';
import { collectGarbage } from './collect-garbage.js';
import { readEnvironment, type Environment } from './environment.js';

export interface OpenEngineOptions {
  /** any folder inside the repository (default: the current directory) */
  repo?: string;
  /** SQLite file (default: <git-dir>/batchctl/state.db) */
  db?: string;
  env?: Environment;
  /** reindex: a damaged database is moved aside (kept, renamed) and a new one created */
  repairStore?: boolean;
  /** the clock breakers, budget weeks and records use (tests drive time with it) */
  now?: () => Date;
  /**
   * A one-shot process (the CLI's run, retry, rollback): large batches collect garbage between
   * steps (collect-garbage.ts). A long-lived engine (a server) leaves the collector to V8.
   */
  oneShot?: boolean;
  /** GitHub access (open-github.ts): commit statuses, incident issues, `propose` */
  github?: GitHubPort;
}

/** Open the store; with `repair`, a file that is not a healthy database is renamed, never deleted. */
function openOrRepairStore(file: string, repair: boolean, logger: Logger): Store {
  try {
    const store = openStore({ file });
    if (store.foundEmpty) {
      // A 0-byte file is what a lost write of the whole file leaves: say so, or the history vanishes in silence.
      logger.warn(
        { warning: 'STORE_FILE_EMPTY', file, rebuild: 'batchctl reindex' },
        `the database ${file} was empty (0 bytes), so a new one was created: the batch history is missing; \`batchctl reindex\` rebuilds it from git`,
      );
    }
    if (!repair || store.integrityCheck() === 'ok') return store;
    store.close();
  } catch (error) {
    if (!repair || !(error instanceof BatchctlError) || error.code !== 'STORE_FAILED') throw error;
  }
  const aside = `${file}.damaged-${new Date().toISOString().replace(/[:.]/g, '-')}`;
  for (const suffix of ['', '-wal', '-shm']) {
    if (existsSync(file + suffix)) renameSync(file + suffix, aside + suffix);
  }
  logger.warn({ file, aside }, 'the database was damaged; it was moved aside and a new one created');
  return openStore({ file });
}

/**
 * A write over the file-size limit (`ulimit -f`) raises SIGXFSZ. Node ignores it so the write fails
 * with EFBIG, but proper-lockfile's signal-exit hooks it and re-raises it when it is the only
 * listener, which kills the process mid-batch. With a listener of our own, the write fails its
 * operation instead, and the batch decides as for any failure.
 */
const ignoreSignal = (): void => undefined;
function keepFileSizeErrorsAsErrors(): void {
  if (!process.listeners('SIGXFSZ').includes(ignoreSignal)) process.on('SIGXFSZ', ignoreSignal);
}

/** Who acts when a caller names no one: GitHub's actor in Actions, else the login name. */
function actorOf(env: Environment): string | undefined {
  if (env.GITHUB_ACTOR) return env.GITHUB_ACTOR;
  try {
    return userInfo().username;
  } catch {
    return undefined; // no passwd entry for this uid (some containers): the batch says `unknown`
  }
}

/** @example const engine = await openEngine({ repo: '/srv/registry' }); */
export async function openEngine({
  repo = process.cwd(),
  db,
  env = readEnvironment(),
  repairStore = false,
  now = () => new Date(),
  oneShot = false,
  github,
}: OpenEngineOptions = {}): Promise<Engine> {
  keepFileSizeErrorsAsErrors();
  const logger = createLogger({ level: env.BATCHCTL_LOG_LEVEL });
  const git = await openGit({
    dir: resolve(repo),
    identity: { name: env.BATCHCTL_AUTHOR_NAME, email: env.BATCHCTL_AUTHOR_EMAIL },
  });
  const stateDir = join(git.gitDir, 'batchctl');
  const store = openOrRepairStore(db ? resolve(db) : join(stateDir, 'state.db'), repairStore, logger);
  const bus = createEventBus({ store, now, logger });
  const actor = actorOf(env);
  return createEngine({
    git,
    store,
    bus,
    logger,
    stateDir,
    now,
    ...(env.BATCHCTL_SIGNING_KEY ? { signingKey: env.BATCHCTL_SIGNING_KEY } : {}),
    ...(actor ? { actor } : {}),
    ...(env.BATCHCTL_PUSH_BUDGET_MS !== undefined ? { pushBudgetMs: env.BATCHCTL_PUSH_BUDGET_MS } : {}),
    ...(oneShot ? { betweenSteps: collectGarbage } : {}),
    ...(github ? { github } : {}),
  });
}
