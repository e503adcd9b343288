// Operators may change a breaker's state by hand (docs/control-file.md): commit "state": "closed" and batchctl
// obeys. Such a change is still recorded: the newest commit of batch-control.json that batchctl did
// not make (no Control-Change trailer) is compared with its parent, once, and every breaker whose
// state differs becomes a breaker_changed audit event naming the commit and its author. In a shallow
// clone whose boundary is that commit there is no parent to compare with: no audit.
import { isAutomationIdentity, parseControlFile } from '../../control/index.js';
import { CONTROL_FILE_NAME, EVENT, type ControlFile } from '../../domain/index.js';
import type { EngineDeps } from '../engine-deps.js';
import { readControlHistory } from './control-history-cache.js';

async function controlAt(deps: EngineDeps, rev: string): Promise<ControlFile | null> {
  const text = await deps.git.fileAt(rev, CONTROL_FILE_NAME);
  if (text === null) return null;
  try {
    return parseControlFile(text, `${rev}:${CONTROL_FILE_NAME}`);
  } catch {
    return null; // a broken revision has no breaker states to compare
  }
}

/** `automationIdentities`: the effective policy's (else the commit's file's) policy.automation_identities. */
export async function auditManualBreakerChanges(
  deps: EngineDeps,
  { automationIdentities }: { automationIdentities?: readonly string[] } = {},
): Promise<void> {
  // The newest commit of the file is batchctl's as of this HEAD (control-history-cache.ts): nothing to audit.
  const [head, history] = await Promise.all([deps.git.head(), readControlHistory(deps)]);
  if (head !== null && history?.head === head && history.ownNewest === true) return;
  const { stdout } = await deps.git.runner.exec(
    ['log', '-1', '--format=%H%x1f%an <%ae>%x1f%P%x1f%(trailers:key=Control-Change,valueonly)', 'HEAD', '--', CONTROL_FILE_NAME],
    { okExitCodes: [128] }, // unborn HEAD
  );
  const [commit, author, parents, kinds] = stdout.toString('utf8').trim().split('\x1f');
  if (!commit || (kinds ?? '').trim() !== '') return;
  // A shallow clone's boundary commit shows no parent: comparing with nothing would invent changes.
  // Not marked audited, so a deepened clone audits it then.
  if ((parents ?? '').trim() === '' && (await deps.git.shallowBoundary()).has(commit)) {
    deps.logger.debug({ commit }, 'manual breaker audit skipped: the commit is a shallow boundary (its parent is not here)');
    return;
  }
  if (!deps.store.controlAudit.markAudited(commit, deps.now().toISOString())) return;
  const parent = (parents ?? '').split(' ')[0] ?? '';
  const before = parent ? await controlAt(deps, parent) : null;
  const after = await controlAt(deps, commit);
  if (!after) return;
  // A bot's commit (the registry's workflows) is automation: audited as such, not warned about as a hand edit.
  const automation = isAutomationIdentity(author ?? '', automationIdentities ?? after.policy.automation_identities);
  const ecosystems = new Set([...Object.keys(before?.circuit_breaker ?? {}), ...Object.keys(after.circuit_breaker)]);
  for (const ecosystem of [...ecosystems].sort()) {
    const from = before?.circuit_breaker[ecosystem]?.state ?? 'closed';
    const to = after.circuit_breaker[ecosystem]?.state ?? 'closed';
    if (from === to) continue;
    const by = automation
      ? { manual: false, automation: true, why: 'changed by automation in batch-control.json' }
      : { manual: true, why: 'changed by hand in batch-control.json' };
    deps.bus.emit(EVENT.breakerChanged, null, { ecosystem, from, to, ...by, author, commit });
    if (automation) deps.logger.info({ ecosystem, from, to, author, commit }, 'circuit breaker changed by automation');
    else deps.logger.warn({ ecosystem, from, to, author, commit }, 'circuit breaker changed by hand');
  }
}
