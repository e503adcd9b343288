// Reading batch-control.json, failing closed (docs/control-file.md): missing, unreadable, not JSON, not valid or
// carrying a misspelt key each refuse every batch with a message naming the file, the field and the
// problem. What is kept but worth hearing (other tools' keys, deprecated settings) comes back as warnings.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

import { CONTROL_FILE_NAME, controlFileSchema, type ControlFile } from '../domain/index.js';
import { BatchctlError } from '../errors/index.js';
import { checkControlKeys } from './control-keys.js';
import { policyConflictWarning, readPolicyFile } from './policy-file.js';
import { setAsideUnreadableBreakers, unreadableBreakerWarning, type UnreadableBreaker } from './unreadable-breakers.js';

/** A control file as read: its values, and what batchctl noticed without refusing it. */
export interface LoadedControl {
  control: ControlFile;
  /** one line each, naming the file (`batch-control.json: unknown key "x" kept as is`) */
  warnings: string[];
  /** breaker entries that do not parse: their ecosystems are refused, the others run */
  unreadableBreakers: UnreadableBreaker[];
}

function refuse(file: string, problem: string, hint: string, data: Record<string, unknown> = {}): BatchctlError {
  return new BatchctlError({
    code: 'CONTROL_FILE_INVALID',
    message: `${file}: ${problem}; every batch is refused until it is fixed`,
    hint,
    data: { file, ...data },
  });
}

/** Parse control file text (from the work tree or from a git blob), with its warnings. */
export function parseControl(text: string, file: string): LoadedControl {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw refuse(file, `not valid JSON (${(error as Error).message})`, 'fix the JSON syntax, or run `batchctl init --force`');
  }
  // Before the schema: a misspelt key explains the rest better than the schema's complaint would.
  const keys = checkControlKeys(json);
  const [first, ...more] = keys.refusals;
  if (first) {
    const others = more.length > 0 ? ` (and ${more.length} more unknown key${more.length > 1 ? 's' : ''})` : '';
    throw refuse(
      file,
      `${first.message}${others}`,
      "fix the spelling: batchctl's keys are listed in batch-control.schema.json; " +
        "a key another tool adds at the top level must not be within 2 edits of one of batchctl's",
      {
        field: first.field,
        nearest: first.nearest,
        issues: keys.refusals.map((r) => ({ field: r.field, message: r.message })),
      },
    );
  }
  const { json: usable, unreadable } = setAsideUnreadableBreakers(json);
  const parsed = controlFileSchema.safeParse(usable);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.join('.') || '(top level)';
    throw refuse(file, `field "${field}": ${issue?.message ?? 'invalid'}`, 'compare with the default from `batchctl init`', {
      field,
      issues: parsed.error.issues.map((i) => ({ field: i.path.join('.'), message: i.message })),
    });
  }
  return {
    control: parsed.data,
    warnings: [...keys.warnings, ...unreadable.map(unreadableBreakerWarning)],
    unreadableBreakers: unreadable,
  };
}

/** The values alone, for callers that only decide (stop checks, edits, audits). */
export function parseControlFile(text: string, file: string): ControlFile {
  return parseControl(text, file).control;
}

/** The work tree's control file, with its warnings. */
export async function loadControl(root: string): Promise<LoadedControl> {
  const file = join(root, CONTROL_FILE_NAME);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw refuse(file, 'missing', 'run `batchctl init` to write the default control file, then commit it');
    throw refuse(file, `unreadable (${code ?? String(error)})`, 'check its permissions');
  }
  return withPolicyFile(root, parseControl(text, file), text);
}

/** batchctl.policy.json, when present, replaces the in-file policy as a whole. */
async function withPolicyFile(root: string, loaded: LoadedControl, text: string): Promise<LoadedControl> {
  const policy = await readPolicyFile(root);
  if (!policy) return loaded;
  const conflict = policyConflictWarning((JSON.parse(text) as Record<string, unknown>).policy, loaded.control.policy, policy);
  return { ...loaded, control: { ...loaded.control, policy }, warnings: [...loaded.warnings, ...(conflict ? [conflict] : [])] };
}

export async function loadControlFile(root: string): Promise<ControlFile> {
  return (await loadControl(root)).control;
}
