// batchctl rollback <id> — revert a committed batch as one new commit (Reverts-Batch, rollback/<id>).
import { z } from 'zod';

import { openGitHub, readEnvironment, requireGitHub, type GitHubAccess } from '../../app/index.js';
import { createLogger } from '../../log/index.js';
import { openCommandEngine } from '../open-command-engine.js';
import { commitNeedsLegacy, globalOptionsSchema, prFlagsNeedPr } from '../global-options.js';
import { printGitHubOutcome } from '../output/github-outcome.js';
import { printJsonLine } from '../output/ndjson.js';
import { reportOutcome } from '../output/report-outcome.js';

const rollbackOptionsSchema = globalOptionsSchema
  .extend({
    legacy: z.boolean().default(false),
    commit: z.string().min(1).optional(),
    dryRun: z.boolean().default(false),
    restore: z.boolean().default(false),
    force: z.boolean().default(false),
    paths: z.array(z.string().min(1)).optional(),
    /** commander's --no-push sets push: false */
    push: z.boolean().default(true),
    fetch: z.boolean().default(false),
    by: z.string().min(1).optional(),
    /** propose the revert as a pull request (docs/github-api.md#pull-requests) */
    pr: z.boolean().default(false),
    autoMerge: z.boolean().default(false),
    base: z.string().min(1).optional(),
    reason: z.string().trim().min(1).optional(),
  })
  .superRefine(commitNeedsLegacy)
  .superRefine(prFlagsNeedPr);

export async function rollbackCommand(id: string, raw: unknown): Promise<number> {
  const options = rollbackOptionsSchema.parse(raw);
  const env = readEnvironment();
  const logger = createLogger({ level: env.BATCHCTL_LOG_LEVEL });
  const propose = options.pr && !options.dryRun;
  const github: GitHubAccess = propose ? { on: true, port: requireGitHub(env, 'rollback --pr', logger) } : openGitHub(env, logger);
  const engine = await openCommandEngine({ ...options, env, oneShot: true, ...(github.on ? { github: github.port } : {}) });
  try {
    const result = await engine.rollback(id, {
      dryRun: options.dryRun,
      restore: options.restore,
      force: options.force,
      push: options.push,
      fetch: options.fetch,
      ...(options.by ? { requestedBy: options.by } : {}),
      ...(options.reason ? { reason: options.reason } : {}),
      ...(options.paths ? { paths: options.paths } : {}),
      ...(options.legacy ? { legacy: { commit: options.commit } } : {}),
      ...(propose ? { pr: { autoMerge: options.autoMerge, ...(options.base ? { base: options.base } : {}) } } : {}),
    });
    if (options.json) {
      printJsonLine(result);
    } else {
      const lines = [
        `${result.dry_run ? 'would roll back' : result.success ? 'rolled back' : 'did not roll back'} batch ${result.batch_id}`,
        ...result.restored.map((p) => `  restore ${p}`),
        ...result.deleted.map((p) => `  delete  ${p}`),
        ...result.conflicts.map((c) => `  CONFLICT ${c.path}: ${c.why}`),
        ...(result.commit
          ? [`  commit ${result.commit} (batch ${result.rollback_batch_id})`, ...(result.tag ? [`  tag    ${result.tag}`] : [])]
          : []),
        ...(result.reason ? [`  ${result.reason.code}: ${result.reason.message}`] : []),
      ];
      process.stdout.write(`${lines.join('\n')}\n`);
    }
    printGitHubOutcome(result.github, options.json);
    return reportOutcome(result);
  } finally {
    await engine.close();
  }
}
