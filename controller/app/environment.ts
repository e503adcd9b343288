// The only reader of process.env: every variable batchctl honours, parsed and documented here.
import { z } from 'zod';

import { BatchctlError } from '../errors/index.js';

/** A workflow's `env: X: ${{ secrets.MISSING }}` sets X to "": that is not set, not a bad value. */
const unsetWhenEmpty = z
  .string()
  .transform((v) => (v === '' ? undefined : v))
  .optional();

const environmentSchema = z.object({
  /** pino level for logs on stderr */
  BATCHCTL_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('warn'),
  /** identity of batchctl's commits and tags */
  BATCHCTL_AUTHOR_NAME: z.string().min(1).default('batchctl'),
  BATCHCTL_AUTHOR_EMAIL: z.string().min(3).default('batchctl@localhost'),
  /** HMAC key: batch commits carry Batch-Sig, and rollback accepts only commits that verify */
  BATCHCTL_SIGNING_KEY: z.string().min(16, 'use at least 16 characters').optional(),
  /** `batchctl serve`: JSON lines {name, role, sha256} of the tokens it accepts (docs/serve.md#tokens-and-roles) */
  BATCHCTL_TOKENS_FILE: z.string().min(1).optional(),
  /** `serve --udp`: the InterLock shared key (HMAC-SHA256), instead of config/interlock.json's shared_key */
  BATCHCTL_INTERLOCK_KEY: z.string().min(16, 'use at least 16 characters').optional(),
  /** GitOps push: how long one batch or control change keeps retrying a rejected push, in ms (docs/lifecycle.md#gitops-push) */
  BATCHCTL_PUSH_BUDGET_MS: z
    .string()
    .regex(/^\d{1,7}$/, 'milliseconds, a whole number up to 9999999')
    .transform(Number)
    .optional(),
  /** default requested_by when a batch does not say (GitHub sets GITHUB_ACTOR) */
  GITHUB_ACTOR: z.string().optional(),
  /** set by GitHub Actions: a Markdown summary is appended to this file */
  GITHUB_STEP_SUMMARY: z.string().optional(),
  GITHUB_ACTIONS: z.string().optional(),
  // GitHub features (docs/github-api.md): pull requests, incident and drift issues, commit status.
  /** the token the GitHub features use; without it they are off (a plain `run` needs none) */
  GITHUB_TOKEN: unsetWhenEmpty,
  /** REST root (default https://api.github.com); GitHub Enterprise: https://HOST/api/v3 (Actions sets it) */
  GITHUB_API_URL: z.preprocess((v) => (v === '' ? undefined : v), z.url().optional()),
  /** owner/name of the repository the features act on (Actions sets it) */
  GITHUB_REPOSITORY: unsetWhenEmpty,
  /** for links to the run that acted (Actions sets them) */
  GITHUB_SERVER_URL: unsetWhenEmpty,
  GITHUB_RUN_ID: unsetWhenEmpty,
  /** ms between two GitHub writes (default 1000, as GitHub asks; tests pass 0) */
  BATCHCTL_GITHUB_WRITE_GAP_MS: z.coerce.number().int().nonnegative().optional(),
});

export type Environment = z.infer<typeof environmentSchema>;

export function readEnvironment(env: NodeJS.ProcessEnv = process.env): Environment {
  const parsed = environmentSchema.safeParse(env);
  if (parsed.success) return parsed.data;
  const first = parsed.error.issues[0];
  const name = first?.path.join('.') ?? '';
  throw new BatchctlError({
    code: 'CONFIG_INVALID',
    message: `environment variable ${name}: ${first?.message ?? 'invalid'}`,
    hint: `fix or unset ${name}`,
    data: { variable: name },
  });
}
