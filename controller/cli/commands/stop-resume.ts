// batchctl stop / resume — the emergency stop, for everything or one ecosystem (docs/control-file.md).
import { z } from 'zod';

import { openGitHub, readEnvironment } from '../../app/index.js';
import type { ControlChangeResult } from '../../engine/index.js';
import { createLogger } from '../../log/index.js';
import { EXIT } from '../../errors/index.js';
import { openCommandEngine } from '../open-command-engine.js';
import { globalOptionsSchema } from '../global-options.js';
import { printJsonLine } from '../output/ndjson.js';

const ecosystem = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9._-]+$/, 'letters, digits, ".", "_" and "-" only')
  .optional();
const by = z.string().min(1).max(200).optional();
/** commander's --no-push sets push: false */
const push = z.boolean().default(true);

const stopOptionsSchema = globalOptionsSchema.extend({
  reason: z.string().trim().min(1, 'say why (it is shown to everyone whose batch is refused)').max(500),
  ecosystem,
  incidentUrl: z.url().optional(),
  expectedResume: z.iso.datetime({ offset: true }).optional(),
  by,
  push,
});
const resumeOptionsSchema = globalOptionsSchema.extend({ ecosystem, by, push });

function report(result: ControlChangeResult, json: boolean, what: string): number {
  if (json) {
    printJsonLine({
      ...result,
      control: { enabled: result.control.enabled, disabled_ecosystems: result.control.disabled_ecosystems, reason: result.control.reason },
    });
    return EXIT.ok;
  }
  const committed = result.commit ? `committed ${result.commit.slice(0, 12)}` : 'already so; nothing to commit';
  const state = result.control.enabled ? 'batches run' : 'every batch is refused';
  const paused =
    result.control.disabled_ecosystems.length > 0 ? `; stopped ecosystems: ${result.control.disabled_ecosystems.join(', ')}` : '';
  process.stdout.write(`${what}: ${committed}\n  now: ${state}${paused}\n`);
  return EXIT.ok;
}

export async function stopCommand(raw: unknown): Promise<number> {
  const options = stopOptionsSchema.parse(raw);
  const env = readEnvironment();
  // With a token, a stop given no --incident-url links the open incident issue.
  const github = options.incidentUrl ? null : openGitHub(env, createLogger({ level: env.BATCHCTL_LOG_LEVEL }));
  const engine = await openCommandEngine({ ...options, env, ...(github?.on ? { github: github.port } : {}) });
  try {
    const result = await engine.stop({
      reason: options.reason,
      push: options.push,
      ...(options.by ? { by: options.by } : {}),
      ...(options.ecosystem ? { ecosystem: options.ecosystem } : {}),
      ...(options.incidentUrl ? { incidentUrl: options.incidentUrl } : {}),
      ...(options.expectedResume ? { expectedResume: options.expectedResume } : {}),
    });
    return report(result, options.json, options.ecosystem ? `stopped ecosystem ${options.ecosystem}` : 'emergency stop on');
  } finally {
    await engine.close();
  }
}

export async function resumeCommand(raw: unknown): Promise<number> {
  const options = resumeOptionsSchema.parse(raw);
  const engine = await openCommandEngine({ ...options });
  try {
    const result = await engine.resume({
      push: options.push,
      ...(options.by ? { by: options.by } : {}),
      ...(options.ecosystem ? { ecosystem: options.ecosystem } : {}),
    });
    return report(result, options.json, options.ecosystem ? `resumed ecosystem ${options.ecosystem}` : 'emergency stop lifted');
  } finally {
    await engine.close();
  }
}
