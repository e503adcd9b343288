// Settings wiped by another writer (docs/control-file.md#other-writers): when the newest commit of
// batch-control.json that batchctl did not make removed `policy` (or keys of it) or breaker history,
// every command that reads the file warns while they are still missing, and the commit is recorded
// once as a control_changed audit event naming it and its author. The history search is cached by
// HEAD (control-history-cache.ts): a command on an unmoved HEAD, or on one only batchctl's own batch
// commits moved, runs no git process for it, only a read of HEAD through the object reader.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

import { hasPath, removedSettings } from '../../control/index.js';
import { CONTROL_FILE_NAME, EVENT, POLICY_FILE_NAME } from '../../domain/index.js';
import type { EngineDeps } from '../engine-deps.js';
import { readControlHistory, SEARCH_DEPTH, writeControlHistory, type Removal } from './control-history-cache.js';

export interface SettingsRemoved {
  commit: string;
  author: string;
  /** what it removed that is still missing: policy.protected_paths, circuit_breaker.npm.recent */
  fields: string[];
}

const json = (text: string | null): unknown => {
  if (text === null) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
};

/** `parent` '' : none here (the root commit, or the edge of a shallow clone). */
interface Search {
  found: { commit: string; author: string; parent: string; position: number } | null;
  /** the newest commit of the file is batchctl's (a Control-Change trailer); false also when there is none */
  ownNewest: boolean;
}

async function newestForeignCommit(deps: EngineDeps): Promise<Search> {
  const { stdout } = await deps.git.runner.exec(
    [
      'log',
      `-${SEARCH_DEPTH}`,
      '--format=%H%x1f%an <%ae>%x1f%P%x1f%(trailers:key=Control-Change,valueonly)%x1e',
      'HEAD',
      '--',
      CONTROL_FILE_NAME,
    ],
    { okExitCodes: [128] }, // unborn HEAD
  );
  let position = 0;
  let ownNewest = false;
  for (const record of stdout.toString('utf8').split('\x1e')) {
    const [commit, author, parents, kinds] = record.trim().split('\x1f');
    if (!commit) continue;
    const own = (kinds ?? '').trim() !== '';
    if (position === 0) ownNewest = own;
    if (!own) return { found: { commit, author: author ?? '', parent: (parents ?? '').split(' ')[0] ?? '', position }, ownNewest };
    position++; // batchctl's own
  }
  return { found: null, ownNewest };
}

/** null: nothing removed; 'unknown': the commit is a shallow clone's edge, so not judged (and not cached: a deepen may tell). */
async function searchHistory(deps: EngineDeps): Promise<{ removal: Removal | null; ownNewest: boolean } | 'unknown'> {
  const { found, ownNewest } = await newestForeignCommit(deps);
  if (!found) return { removal: null, ownNewest };
  // No parent: the root commit removed nothing; the edge of a shallow clone is not judged (nothing invented).
  if (!found.parent) return (await deps.git.shallowBoundary()).has(found.commit) ? 'unknown' : { removal: null, ownNewest };
  const [before, after] = await Promise.all([
    deps.git.fileAt(found.parent, CONTROL_FILE_NAME).catch(() => null),
    deps.git.fileAt(found.commit, CONTROL_FILE_NAME),
  ]);
  if (before === null) return { removal: null, ownNewest }; // the file is new in that commit
  const removed = removedSettings(json(before), json(after));
  const removal = removed.length === 0 ? null : { commit: found.commit, author: found.author, removed, position: found.position };
  return { removal, ownNewest };
}

/** The history search for this HEAD: from the cache when HEAD has not moved since it was made. */
async function removalAtHead(deps: EngineDeps): Promise<Removal | null> {
  const head = await deps.git.head();
  if (head === null) return null; // no commits: no history to search
  const cached = await readControlHistory(deps);
  if (cached?.head === head) return cached.removal;
  const search = await searchHistory(deps);
  if (search === 'unknown') return null;
  await writeControlHistory(deps, { head, ...search });
  return search.removal;
}

/** The settings another writer removed and that are still missing, or null; audits the commit once. */
export async function settingsRemovedByOthers(deps: EngineDeps): Promise<SettingsRemoved | null> {
  const found = await removalAtHead(deps);
  if (!found) return null;
  const { removed } = found;
  if (deps.store.controlAudit.markAudited(`settings-removed:${found.commit}`, deps.now().toISOString())) {
    deps.bus.emit(EVENT.controlChanged, null, { change: 'settings_removed', commit: found.commit, author: found.author, fields: removed });
  }
  const current = json(await readFile(join(deps.git.root, CONTROL_FILE_NAME), 'utf8').catch(() => null));
  const policyFile = await readFile(join(deps.git.root, POLICY_FILE_NAME)).then(
    () => true,
    () => false,
  );
  // With batchctl.policy.json the in-file policy is not read: its removal costs nothing.
  const fields = removed.filter((field) => !hasPath(current, field) && !(policyFile && field.startsWith('policy')));
  return fields.length === 0 ? null : { commit: found.commit, author: found.author, fields };
}

/** The warning line every command prints for it. */
export const settingsRemovedWarning = (r: SettingsRemoved): string =>
  `${CONTROL_FILE_NAME}: commit ${r.commit.slice(0, 12)} by ${r.author} removed ${r.fields.join(', ')}; batchctl uses its defaults for them ` +
  `(restore them, or keep batchctl's settings in ${POLICY_FILE_NAME}, which other writers do not touch)`;

/**
 * The warnings every command shows (docs/control-file.md#other-writers): never an error of its own,
 * since no command should fail because its warning could not be worked out.
 */
export async function settingsWarnings(deps: EngineDeps): Promise<string[]> {
  try {
    const removed = await settingsRemovedByOthers(deps);
    return removed ? [settingsRemovedWarning(removed)] : [];
  } catch (error) {
    deps.logger.warn({ err: error }, 'could not look for settings removed from the control file');
    return [];
  }
}
