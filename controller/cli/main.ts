// The batchctl CLI: commander, one lazily imported module per command so `--help` stays instant.
import { Command, CommanderError } from 'commander';
import { ZodError } from 'zod';

import { BatchctlError, EXIT, toBatchctlError } from '../errors/index.js';
import { errorLine } from './output/error-line.js';
import { flushJsonLines } from './output/ndjson.js';

type Action = () => Promise<number>;
type Options = Record<string, unknown> & { json?: boolean };

function render(error: BatchctlError, json: boolean): void {
  if (json) process.stdout.write(`${JSON.stringify(error.toJSON())}\n`);
  process.stderr.write(errorLine({ code: error.code, message: error.detail, hint: error.hint }));
}

function asUsageError(error: ZodError): BatchctlError {
  const first = error.issues[0];
  return new BatchctlError({
    code: 'USAGE',
    // zod names the camelCase key commander made; users typed the --kebab-case flag
    message: `option --${String(first?.path[0] ?? '').replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}: ${first?.message ?? 'invalid'}`,
    hint: 'see `batchctl <command> --help`',
  });
}

/**
 * Wires a command's action: its positional arguments and its options merged with the global ones,
 * so `batchctl --repo X status` and `batchctl status --repo X` are the same command.
 */
function act<A extends unknown[]>(
  run: (action: Action, json: boolean) => Promise<void>,
  load: (args: A, opts: Options) => Promise<number>,
): (...raw: unknown[]) => Promise<void> {
  return (...raw) => {
    const command = raw[raw.length - 1] as Command;
    const opts = command.optsWithGlobals<Options>();
    return run(() => load(raw.slice(0, command.registeredArguments.length) as A, opts), opts.json === true);
  };
}

function buildProgram(run: (action: Action, json: boolean) => Promise<void>): Command {
  const program = new Command('batchctl')
    .description('Validate, apply and commit batches of file operations as one tagged git changeset')
    .version('0.1.0')
    .exitOverride()
    .showHelpAfterError()
    .configureHelp({ showGlobalOptions: true })
    // Global options: accepted before or after the command name.
    .option('--repo <dir>', 'repository (any folder inside it)')
    .option('--db <file>', 'SQLite file (default <git-dir>/batchctl/state.db)')
    .option('--json', 'machine-readable output (NDJSON)');
  const command = (spec: string, description: string): Command => program.command(spec).description(description);

  command('run <file>', 'apply a batch (file, or - for stdin) and commit it')
    .option('--dry-run', 'validate and print the plan; change nothing', false)
    .option('--plan-hash <hash>', 'refuse unless the repository still yields this plan hash')
    .option('--no-push', "commit locally only (the rule: publish to the branch's upstream unless --no-push)")
    .option('--pr', 'propose: commit on a new branch batch/<id>, push it and open a pull request (needs GITHUB_TOKEN)', false)
    .option('--auto-merge', 'with --pr: enable auto-merge on the pull request', false)
    .option('--base <branch>', "with --pr: the branch the pull request merges into (default: the branch's upstream)")
    .action(act(run, async ([file]: [string], opts) => (await import('./commands/run.js')).runCommand(file, opts)));
  command('validate <file>', 'validate a batch without changing anything').action(
    act(run, async ([file]: [string], opts) => (await import('./commands/validate.js')).validateCommand(file, opts)),
  );
  command('status [id]', 'one batch in detail, or the latest batches')
    .option('--limit <n>', 'how many batches (or items of one batch)', '10')
    .option('--legacy', 'the id is a legacy "batch_id:" id, searched on every branch', false)
    .option('--commit <sha>', 'with --legacy: the commit to choose when the id names several', undefined)
    .action(act(run, async ([id]: [string | undefined], opts) => (await import('./commands/status.js')).statusCommand(id, opts)));
  command('list', 'batch history, newest first')
    .option('--limit <n>', 'how many batches', '20')
    .action(act(run, async (_: [], opts) => (await import('./commands/list.js')).listCommand(opts)));
  command('init', 'write the default batch-control.json into the repository')
    .option('--force', 'overwrite an existing control file', false)
    .option('--no-push', "commit locally only (the rule: publish to the branch's upstream unless --no-push)")
    .action(act(run, async (_: [], opts) => (await import('./commands/init.js')).initCommand(opts)));
  command('rollback <id>', 'revert a committed batch as one new commit (git revert semantics)')
    .option('--legacy', 'the id is a legacy "batch_id:" id, searched on every branch', false)
    .option('--commit <sha>', 'with --legacy: the commit to choose when the id names several', undefined)
    .option('--dry-run', 'show what would change', false)
    .option('--restore', 'reset the paths to the backup ref instead of merging (admin)', false)
    .option('--force', 'accept a commit batchctl cannot verify as its own', false)
    .option('--paths <globs...>', 'roll back only the paths matching these globs')
    .option('--no-push', "commit locally only (the rule: publish to the branch's upstream unless --no-push)")
    .option('--fetch', 'in a shallow clone, fetch the missing history from the remote instead of refusing', false)
    .option('--by <name>', 'who is rolling back (default: $GITHUB_ACTOR or your login name)')
    .option('--pr', 'propose: commit the revert on a new branch batch/<id>, push it and open a pull request (needs GITHUB_TOKEN)', false)
    .option('--auto-merge', 'with --pr: enable auto-merge on the pull request', false)
    .option('--base <branch>', "with --pr: the branch the pull request merges into (default: the branch's upstream)")
    .option('--reason <text>', 'why (the Rollback-Reason trailer and the stored rollback record)')
    .action(act(run, async ([id]: [string], opts) => (await import('./commands/rollback.js')).rollbackCommand(id, opts)));
  command('retry <id>', 'run again the operations of a batch that did not land')
    .option('--again', 'a new retry even if this batch was retried before (default: return that retry)', false)
    .option('--no-push', "commit locally only (the rule: publish to the branch's upstream unless --no-push)")
    .action(act(run, async ([id]: [string], opts) => (await import('./commands/retry.js')).retryCommand(id, opts)));
  command('reindex', 'rebuild the SQLite records of committed batches from git history')
    .option('--fetch', 'in a shallow clone, fetch all of the history from the remote instead of refusing', false)
    .action(act(run, async (_: [], opts) => (await import('./commands/reindex.js')).reindexCommand(opts)));
  command('stop', 'emergency stop: refuse new batches and halt running ones (commits batch-control.json)')
    .requiredOption('--reason <text>', 'why (shown to everyone whose batch is refused)')
    .option('--ecosystem <name>', 'stop only this ecosystem')
    .option('--incident-url <url>', 'link to the incident')
    .option('--expected-resume <time>', 'ISO-8601 time you expect to resume')
    .option('--by <name>', 'who is stopping (default: $GITHUB_ACTOR or your login name)')
    .option('--no-push', "commit locally only (the rule: publish to the branch's upstream unless --no-push)")
    .action(act(run, async (_: [], opts) => (await import('./commands/stop-resume.js')).stopCommand(opts)));
  command('resume', "lift the emergency stop, or one ecosystem's (commits batch-control.json)")
    .option('--ecosystem <name>', 'resume only this ecosystem')
    .option('--by <name>', 'who is resuming (default: $GITHUB_ACTOR or your login name)')
    .option('--no-push', "commit locally only (the rule: publish to the branch's upstream unless --no-push)")
    .action(act(run, async (_: [], opts) => (await import('./commands/stop-resume.js')).resumeCommand(opts)));
  command('control', 'the control plane at a glance: stop, breakers, budget, SLIs')
    .option('--days <n>', 'SLI window in days', '7')
    .action(act(run, async (_: [], opts) => (await import('./commands/control.js')).controlCommand(opts)));
  command('sli', 'success rates, durations and severity per ecosystem (exit 1 if any is critical)')
    .option('--days <n>', 'window in days', '7')
    .action(act(run, async (_: [], opts) => (await import('./commands/control.js')).sliCommand(opts)));
  command('purge', "delete records, events and backup refs past the control file's retention windows")
    .option('--dry-run', 'list what would go; change nothing', false)
    .action(act(run, async (_: [], opts) => (await import('./commands/purge.js')).purgeCommand(opts)));
  command('recover', 'finish or undo a batch interrupted by a crash, and record the breaker failures kept pending')
    .option('--no-push', "commit locally only (the rule: publish to the branch's upstream unless --no-push)")
    .action(act(run, async (_: [], opts) => (await import('./commands/recover.js')).recoverCommand(opts)));
  command('verify [id]', 'drift: files a batch wrote that a later non-batchctl commit or the work tree changed (exit 6)')
    .option('--all', 'every committed batch', false)
    .action(act(run, async ([id]: [string | undefined], opts) => (await import('./commands/verify.js')).verifyCommand(id, opts)));
  command('serve', 'run the HTTP service for one repository (docs/serve.md)')
    .option('--http <port>', 'HTTP port', '8022')
    .option('--ws <port>', 'WebSocket port', '9022')
    .option('--udp [port]', 'InterLock peers on UDP (docs/interlock.md); no port: config/interlock.json, else 3022')
    .option('--host <address>', 'address to bind (not loopback: needs BATCHCTL_TOKENS_FILE)', '127.0.0.1')
    .option('--cors-origin <origins...>', 'origins allowed by CORS (default: the local dashboards)')
    .option('--log-level <level>', 'request log level (stdout)', 'info')
    .option('--body-limit <bytes>', 'largest request body')
    .action(act(run, async (_: [], opts) => (await import('./commands/serve.js')).serveCommand(opts)));
  command('mcp', 'serve MCP tools to an agent over stdio (docs/mcp.md)').action(
    act(run, async (_: [], opts) => (await import('./commands/mcp.js')).mcpCommand(opts)),
  );
  program
    .command('github')
    .description('GitHub features (docs/github-api.md)')
    .command('drift-issue')
    .description('open, update or close the drift issue from a `verify --json` report')
    .requiredOption('--report <file>', 'the report `batchctl verify --all --json` wrote')
    .action(act(run, async (_: [], opts) => (await import('./commands/github.js')).driftIssueCommand(opts)));
  program
    .command('token')
    .description('tokens of `batchctl serve`')
    .command('add <name>')
    .description('make a token: printed once, only its hash is stored')
    .requiredOption('--role <role>', 'viewer, operator or admin')
    .option('--file <file>', 'tokens file (default $BATCHCTL_TOKENS_FILE)')
    .action(act(run, async ([name]: [string], opts) => (await import('./commands/token.js')).tokenAddCommand(name, opts)));
  return program;
}

/** Entry point: parses argv, runs one command, sets the exit code (docs/outcomes.md#exit-codes). */
/**
 * Output that cannot be written (a full disk under a redirected stdout, a reader that went away) is
 * lost, not fatal: the outcome is in git and the database already, and the exit code still says it.
 * Without a listener Node would crash with exit 1 after a batch that landed (docs/reliability.md).
 */
function keepGoingWhenOutputFails(): void {
  for (const stream of [process.stdout, process.stderr]) stream.on('error', () => undefined);
}

export async function main(argv: readonly string[]): Promise<void> {
  keepGoingWhenOutputFails();
  let exitCode: number = EXIT.ok;
  const run = async (action: Action, json: boolean): Promise<void> => {
    try {
      exitCode = await action();
    } catch (error) {
      const failure = error instanceof ZodError ? asUsageError(error) : toBatchctlError(error);
      flushJsonLines();
      render(failure, json);
      exitCode = failure.exitCode;
    } finally {
      flushJsonLines();
    }
  };
  try {
    await buildProgram(run).parseAsync([...argv]);
  } catch (error) {
    if (error instanceof CommanderError) {
      exitCode = error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    } else {
      throw error;
    }
  }
  process.exitCode = exitCode;
}
