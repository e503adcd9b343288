// batchctl.policy.json (docs/control-file.md#batchctls-own-policy-file): batchctl's settings in a file
// of their own, beside batch-control.json, which other writers (a typed rewriter, jq scripts) do not
// touch. Same schema as the control file's `policy`; when present it wins entirely.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';

import { CONTROL_FILE_NAME, POLICY_FILE_NAME, policySchema, type Policy } from '../domain/index.js';
import { BatchctlError } from '../errors/index.js';
import { checkControlKeys } from './control-keys.js';

function refuse(file: string, problem: string, hint: string, field?: string): BatchctlError {
  return new BatchctlError({
    code: 'CONTROL_FILE_INVALID',
    message: `${file}: ${problem}; every batch is refused until it is fixed`,
    hint,
    data: { file, ...(field ? { field } : {}) },
  });
}

/** The policy file's settings; null when there is none. Fails closed like the control file. */
export async function readPolicyFile(root: string): Promise<Policy | null> {
  const file = join(root, POLICY_FILE_NAME);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return null;
    throw refuse(file, `unreadable (${code ?? String(error)})`, 'check its permissions');
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw refuse(file, `not valid JSON (${(error as Error).message})`, 'fix the JSON syntax');
  }
  // The same key check as the control file's `policy` (it is the same namespace), fields named without the prefix.
  const [first] = checkControlKeys({ enabled: true, policy: json }).refusals;
  if (first)
    throw refuse(
      file,
      first.message.replace(/^policy\./, ''),
      'fix the spelling (the keys are those of policy in batch-control.schema.json)',
      first.field.replace(/^policy\./, ''),
    );
  const parsed = policySchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.join('.') || '(top level)';
    throw refuse(file, `field "${field}": ${issue?.message ?? 'invalid'}`, 'compare with the policy of `batchctl init`', field);
  }
  return parsed.data;
}

/** The warning when the control file's own `policy` is set and says something else (the policy file wins). */
export function policyConflictWarning(inFile: unknown, inFileParsed: Policy, fromFile: Policy): string | null {
  if (inFile === undefined || isDeepStrictEqual(inFileParsed, fromFile)) return null;
  return `${CONTROL_FILE_NAME}: its "policy" differs from ${POLICY_FILE_NAME}, which wins; remove "policy" from ${CONTROL_FILE_NAME} or make the two agree`;
}
