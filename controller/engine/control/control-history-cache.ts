// What batch-control.json's history says as of one HEAD, kept in the state directory
// (settings-audit.json; docs/control-file.md#other-writers): the newest commit of the file that
// batchctl did not make and what it removed (settings-removed.ts), and whether the newest commit of
// the file is batchctl's own (then the hand-edit audit has nothing to look at: audit-manual-changes.ts).
// A batch moves HEAD by commits of its own: the record is carried over to the new HEAD rather than
// searched for again with `git log`, when those commits are all it added.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import type { EngineDeps } from '../engine-deps.js';

/** How far back (in commits of the file) the newest commit not made by batchctl is looked for. */
export const SEARCH_DEPTH = 200;

/** The newest foreign commit of the file and everything it removed. */
export interface Removal {
  commit: string;
  author: string;
  removed: string[];
  /** how many commits of the file are newer (the search sees SEARCH_DEPTH in all); absent in older records */
  position?: number;
}

export interface ControlHistory {
  head: string;
  /** null: no foreign commit in the last SEARCH_DEPTH commits of the file, or it removed nothing */
  removal: Removal | null;
  /** the newest commit of the file carries a Control-Change trailer; absent: not known */
  ownNewest?: boolean;
}

const cacheFile = (deps: EngineDeps): string => join(deps.stateDir, 'settings-audit.json');

/** The record, whatever HEAD it is for (the caller compares); null when none can be read. */
export async function readControlHistory(deps: EngineDeps): Promise<ControlHistory | null> {
  const text = await readFile(cacheFile(deps), 'utf8').catch(() => null);
  try {
    const value = text === null ? null : (JSON.parse(text) as Partial<ControlHistory> | null);
    return typeof value?.head === 'string' && value.removal !== undefined ? (value as ControlHistory) : null;
  } catch {
    return null; // cut short or edited: searched again
  }
}

/** Only a cache: a write that fails (a read-only state directory) costs the next command a search. */
export async function writeControlHistory(deps: EngineDeps, history: ControlHistory): Promise<void> {
  await mkdir(deps.stateDir, { recursive: true })
    .then(() => writeFile(cacheFile(deps), `${JSON.stringify(history)}\n`))
    .catch(() => undefined);
}

/**
 * HEAD moved from `from` to `to` by this process's commits only: a control-state commit (with its
 * Control-Change trailer) when `controlCommit`, and commits that do not touch the file. The search
 * would find the same foreign commit one commit of the file further back, so the record moves on.
 */
export async function advanceControlHistory(
  deps: EngineDeps,
  { from, to, controlCommit }: { from: string | null; to: string; controlCommit: boolean },
): Promise<void> {
  const cached = await readControlHistory(deps);
  if (!cached || from === null || cached.head !== from) return;
  let removal = cached.removal;
  if (removal && controlCommit) {
    const position = (removal.position ?? SEARCH_DEPTH) + 1;
    if (position >= SEARCH_DEPTH) return; // out of the search's reach now: searched again (it finds none)
    removal = { ...removal, position };
  }
  const ownNewest = controlCommit ? true : cached.ownNewest;
  await writeControlHistory(deps, { head: to, removal, ...(ownNewest === undefined ? {} : { ownNewest }) });
}
