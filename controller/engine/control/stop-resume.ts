// batchctl stop / resume: write the control file at once (running batches see it between
// operations), then commit it. Both are recorded as control_changed events (the audit log).
import { applyResume, applyStop, editControlFile, type RawControl, type StopRequest } from '../../control/index.js';
import { EVENT, type ControlFile } from '../../domain/index.js';
import type { EngineDeps } from '../engine-deps.js';
import { commitControlFile } from './commit-control.js';

export interface ControlChangeResult {
  control: ControlFile;
  /** the file changed (false: it already said so) */
  changed: boolean;
  /** the control commit, or null when there was nothing to commit */
  commit: string | null;
}

/** false: commit locally only (`--no-push`); the rule: docs/lifecycle.md#gitops-push */
type Push = { push?: boolean };

export async function stopBatches(deps: EngineDeps, { push, ...request }: Omit<StopRequest, 'now'> & Push): Promise<ControlChangeResult> {
  const now = deps.now();
  const stop = (raw: RawControl): void => applyStop(raw, { ...request, now });
  const edit = await editControlFile(deps.git.root, stop);
  const scope = request.ecosystem === undefined ? 'all batches' : `ecosystem ${request.ecosystem}`;
  deps.bus.emit(EVENT.controlChanged, null, {
    change: 'stop',
    scope,
    reason: request.reason,
    by: request.by,
    ecosystem: request.ecosystem ?? null,
  });
  const commit = await commitControlFile(deps, {
    kinds: ['stop'],
    reapply: stop,
    push: push !== false,
    subject: `batchctl stop (${scope}): ${request.reason}`,
    body: [
      `Stopped by ${request.by} at ${now.toISOString()}.`,
      ...(request.incidentUrl ? [`Incident: ${request.incidentUrl}`] : []),
      ...(request.expectedResume ? [`Expected resume: ${request.expectedResume}`] : []),
    ],
  });
  return { control: edit.after, changed: edit.changed, commit };
}

export async function resumeBatches(
  deps: EngineDeps,
  { push, ...request }: { ecosystem?: string; by: string } & Push,
): Promise<ControlChangeResult> {
  const resume = (raw: RawControl): void => applyResume(raw, request.ecosystem === undefined ? {} : { ecosystem: request.ecosystem });
  const edit = await editControlFile(deps.git.root, resume);
  const scope = request.ecosystem === undefined ? 'all batches' : `ecosystem ${request.ecosystem}`;
  deps.bus.emit(EVENT.controlChanged, null, { change: 'resume', scope, by: request.by, ecosystem: request.ecosystem ?? null });
  const commit = await commitControlFile(deps, {
    kinds: ['resume'],
    reapply: resume,
    push: push !== false,
    subject: `batchctl resume (${scope})`,
    body: [`Resumed by ${request.by} at ${deps.now().toISOString()}.`],
  });
  return { control: edit.after, changed: edit.changed, commit };
}
