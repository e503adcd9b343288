// batchctl mcp — the MCP server for agents over stdio (docs/mcp.md): runs until the client closes
// stdin; SIGINT/SIGTERM end it too (the running batch rolls back after its current operation).
import { readEnvironment, startMcp } from '../../app/index.js';
import { globalOptionsSchema } from '../global-options.js';

export async function mcpCommand(raw: unknown): Promise<number> {
  const options = globalOptionsSchema.parse(raw);
  const mcp = await startMcp({
    env: readEnvironment(),
    ...(options.repo ? { repo: options.repo } : {}),
    ...(options.db ? { db: options.db } : {}),
  });
  const stop = (): void => {
    // As serve: a stuck child must not hold the process past GitHub's 5 s; the journal lets the next command recover.
    setTimeout(() => {
      process.stderr.write('batchctl: mcp did not stop within 4.5 s; exiting (the next command recovers)\n');
      process.exit(1);
    }, 4500).unref();
    void mcp.shutdown();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  await mcp.done;
  process.off('SIGINT', stop);
  process.off('SIGTERM', stop);
  return 0;
}
