// `batchctl mcp` composed (docs/mcp.md#running): a long-lived engine for one repository and the MCP
// server on stdin/stdout. The client owns the process: when it closes stdin (or sends SIGINT/SIGTERM)
// the running batch stops after its current operation and rolls back, and the engine closes.
import { createMcpServer, serveStdio } from '../facades/mcp/index.js';
import { createLogger } from '../log/index.js';
import type { Environment } from './environment.js';
import { openEngine } from './open-engine.js';
import { logFailures, openGitHub } from './open-github.js';
import { VERSION } from './serve.js';

export interface McpOptions {
  repo?: string;
  db?: string;
  env: Environment;
}

export interface McpService {
  /** resolves once the client went away and the engine is closed */
  done: Promise<void>;
  /** end the session now (a signal): the running batch rolls back, the engine closes */
  shutdown(): Promise<void>;
}

/** @example const mcp = await startMcp({ env: readEnvironment(), repo: '/srv/registry' }); await mcp.done; */
export async function startMcp({ repo, db, env }: McpOptions): Promise<McpService> {
  // stdout is the protocol's: every log line goes to stderr (fd 2), the engine's too.
  const logger = createLogger({ level: env.BATCHCTL_LOG_LEVEL, name: 'batchctl-mcp', fd: 2 });
  // Once per session, as serve does: its batches get their commit status and incident issues (docs/github-api.md).
  const github = openGitHub(env, logger);
  if (!github.on) logger.info({ github: 'off' }, `the GitHub features are off: ${github.why}`);
  const engine = await openEngine({
    env,
    ...(repo ? { repo } : {}),
    ...(db ? { db } : {}),
    ...(github.on ? { github: logFailures(github.port, logger) } : {}),
  });
  const server = createMcpServer({ engine, logger, version: VERSION });
  const session = await serveStdio(server);
  logger.info({ repo: engine.root }, 'MCP server on stdio');
  let closing: Promise<void> | undefined;
  const shutdown = (): Promise<void> =>
    (closing ??= (async () => {
      await session.close();
      await engine.close();
      logger.info('MCP session ended');
    })());
  const done = session.closed.then(shutdown);
  return { done, shutdown };
}
