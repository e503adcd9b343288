// Rewriting batch-control.json (docs/control-file.md): edit the parsed JSON itself, so every field batchctl does
// not know survives (and keeps its place, and another tool's top-level value its exact text); check
// the result against the schema before anything is written; replace the file atomically and durably
// (temp, fsync, rename, fsync of the directory).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

import { CONTROL_FILE_NAME, type ControlFile } from '../domain/index.js';
import { BatchctlError } from '../errors/index.js';
import { writeFileDurably } from '../journal/index.js';
import { defaultControlFile, renderControlFile } from './default-control-file.js';
import { parseControlFile } from './load-control-file.js';
import { readPolicyFile } from './policy-file.js';
import { renderRawControl } from './render-raw-control.js';
import { withControlFile } from './with-control-file.js';

/** The file's JSON object, as written: unknown fields included. */
export type RawControl = Record<string, unknown>;

export interface ControlEdit {
  before: ControlFile;
  after: ControlFile;
  /** false when the edit left the file as it was (nothing written) */
  changed: boolean;
  /** the file's text as read (null: it did not exist) and as edited */
  original: string | null;
  text: string;
}

/**
 * The file's JSON from its text (null: the file is absent, so edits start from the default and write
 * it back: a stop must work even when the file is gone). A broken file is the operator's to fix by
 * hand: it is never overwritten.
 */
function rawOf(text: string | null, file: string): { raw: RawControl; text: string | null } {
  if (text === null) return { raw: JSON.parse(renderControlFile(defaultControlFile())) as RawControl, text: null };
  parseControlFile(text, file);
  return { raw: JSON.parse(text) as RawControl, text };
}

async function readRaw(file: string): Promise<{ raw: RawControl; text: string | null }> {
  let text: string | null;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    text = null;
  }
  return rawOf(text, file);
}

/** A nested object of the raw file, created when absent (edits write into it in place). */
export function objectAt(raw: RawControl, ...keys: string[]): RawControl {
  let node = raw;
  for (const key of keys) {
    const next = node[key];
    if (typeof next !== 'object' || next === null || Array.isArray(next)) node[key] = {};
    node = node[key] as RawControl;
  }
  return node;
}

/**
 * Apply `edit` to the file's JSON and write it back if it changed.
 * @example await editControlFile(root, (raw) => { raw.enabled = false; });
 */
export function editControlFile(root: string, edit: (raw: RawControl, current: ControlFile) => void): Promise<ControlEdit> {
  // Read, edit and write as one turn: two stops at once in one process both land.
  return withControlFile(root, async () => {
    const result = await computeControlEdit(root, edit);
    if (result.changed) await writeFileDurably(join(root, CONTROL_FILE_NAME), result.text);
    return result;
  });
}

/** The edit, checked, without writing: for state that is committed before it reaches the work tree. */
export async function computeControlEdit(
  root: string,
  edit: (raw: RawControl, current: ControlFile) => void,
  from?: { text: string | null; name: string },
): Promise<ControlEdit> {
  const file = from?.name ?? join(root, CONTROL_FILE_NAME);
  const { raw, text } = from ? rawOf(from.text, file) : await readRaw(file);
  const parsed = parseControlFile(JSON.stringify(raw), file);
  // The edit decides with the effective policy: batchctl.policy.json's when there is one.
  const policy = await readPolicyFile(root);
  const before = policy ? { ...parsed, policy } : parsed;
  edit(raw, before);
  const rendered = renderRawControl(raw, text);
  let after: ControlFile;
  try {
    const next = parseControlFile(rendered, file);
    after = policy ? { ...next, policy } : next;
  } catch (error) {
    throw new BatchctlError({
      code: 'CONTROL_EDIT_INVALID',
      message: `the change would make ${file} invalid (${(error as Error).message}); nothing was written`,
      hint: 'check the values given on the command line',
      cause: error,
    });
  }
  return { before, after, changed: rendered !== text, original: text, text: rendered };
}
