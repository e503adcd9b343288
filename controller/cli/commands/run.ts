// batchctl run <file|-> — apply and commit a batch (engine.run: submit, then wait for its result); progress bar on a terminal, NDJSON with --json.
import { z } from 'zod';

import { openGitHub, readEnvironment, requireGitHub, type GitHubAccess } from '../../app/index.js';
import { createLogger } from '../../log/index.js';
import { openBatchFile } from '../batch-file.js';
import { openCommandEngine } from '../open-command-engine.js';
import { globalOptionsSchema, prFlagsNeedPr } from '../global-options.js';
import { printControlWarnings } from '../output/control-warnings.js';
import { reportToGitHub } from '../output/github.js';
import { printGitHubOff, printGitHubOutcome, summarizeGitHubOutcome } from '../output/github-outcome.js';
import { renderResult, renderValidation } from '../output/human.js';
import { printJsonLine } from '../output/ndjson.js';
import { reportOutcome } from '../output/report-outcome.js';

const runOptionsSchema = globalOptionsSchema
  .extend({
    dryRun: z.boolean().default(false),
    /** commander's --no-push sets push: false */
    push: z.boolean().default(true),
    planHash: z
      .string()
      .regex(/^sha256:[0-9a-f]{64}$/, 'a plan hash from `batchctl validate`')
      .optional(),
    /** propose: commit on batch/<id>, push it, open a pull request (docs/github-api.md#pull-requests) */
    pr: z.boolean().default(false),
    autoMerge: z.boolean().default(false),
    base: z.string().min(1).optional(),
  })
  .superRefine(prFlagsNeedPr);

export async function runCommand(file: string, raw: unknown): Promise<number> {
  const options = runOptionsSchema.parse(raw);
  const env = readEnvironment();
  const logger = createLogger({ level: env.BATCHCTL_LOG_LEVEL });
  // --pr needs GitHub (GITHUB_OFF before anything runs); a plain run uses it when there is a token.
  const propose = options.pr && !options.dryRun;
  const github: GitHubAccess = propose ? { on: true, port: requireGitHub(env, 'run --pr', logger) } : openGitHub(env, logger);
  if (!github.on && env.GITHUB_ACTIONS === 'true' && !options.dryRun) printGitHubOff(github.why);
  const engine = await openCommandEngine({ ...options, env, oneShot: true, ...(github.on ? { github: github.port } : {}) });
  const controller = new AbortController();
  // GitHub Actions cancels with SIGINT, then SIGTERM: stop starting operations and roll back.
  const onSignal = (): void => controller.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  // Loaded only for a terminal: machines reading --json never pay for the bar library.
  const bar = !options.json && process.stderr.isTTY ? (await import('../output/progress.js')).createProgressBar() : null;
  const unsubscribe = engine.on((event) => {
    if (options.json) printJsonLine(event);
    bar?.onEvent(event);
  });
  try {
    const common = { signal: controller.signal, source: 'cli', ...(options.planHash ? { planHash: options.planHash } : {}) };
    const document = await openBatchFile(file);
    const result = propose
      ? await engine.propose(document, { ...common, autoMerge: options.autoMerge, ...(options.base ? { base: options.base } : {}) })
      : await engine.run(document, { ...common, dryRun: options.dryRun, push: options.push });
    bar?.stop();
    printControlWarnings(result.control_warnings);
    if (result.validation && !options.json) {
      process.stdout.write(`${renderValidation(result.validation)}\n`);
    } else if (options.json) {
      printJsonLine(result);
    } else {
      process.stdout.write(`${renderResult(result)}\n`);
    }
    printGitHubOutcome(result.github, options.json);
    reportToGitHub(result, env.GITHUB_STEP_SUMMARY, env.GITHUB_ACTIONS === 'true');
    summarizeGitHubOutcome(result.github, env.GITHUB_STEP_SUMMARY);
    return reportOutcome(result);
  } finally {
    unsubscribe();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await engine.close();
  }
}
