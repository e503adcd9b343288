// `batchctl stop` and `resume` as edits of the control file's JSON (docs/control-file.md). The registry design
// has one set of reason fields; they describe the latest stop and are cleared once nothing is stopped.
import type { ControlFile } from '../domain/index.js';
import { parseControlFile } from './load-control-file.js';
import type { RawControl } from './edit-control-file.js';

export interface StopRequest {
  reason: string;
  /** only this ecosystem (disabled_ecosystems); absent: everything (enabled: false) */
  ecosystem?: string;
  incidentUrl?: string;
  expectedResume?: string;
  by: string;
  now: Date;
}

export function applyStop(raw: RawControl, request: StopRequest): void {
  if (request.ecosystem === undefined) {
    raw.enabled = false;
  } else {
    const disabled = Array.isArray(raw.disabled_ecosystems) ? (raw.disabled_ecosystems as unknown[]) : [];
    if (!disabled.includes(request.ecosystem)) disabled.push(request.ecosystem);
    raw.disabled_ecosystems = disabled;
  }
  raw.reason = request.reason;
  raw.disabled_by = request.by;
  raw.disabled_at = request.now.toISOString();
  raw.incident_url = request.incidentUrl ?? '';
  raw.expected_resume = request.expectedResume ?? '';
}

/** `ecosystem` absent: lift the global stop (ecosystem pauses stay, they are separate decisions). */
export function applyResume(raw: RawControl, { ecosystem }: { ecosystem?: string }): void {
  if (ecosystem === undefined) raw.enabled = true;
  else if (Array.isArray(raw.disabled_ecosystems))
    raw.disabled_ecosystems = (raw.disabled_ecosystems as unknown[]).filter((e) => e !== ecosystem);
  const stillStopped = raw.enabled === false || (Array.isArray(raw.disabled_ecosystems) && raw.disabled_ecosystems.length > 0);
  if (!stillStopped) {
    for (const key of ['reason', 'disabled_by', 'disabled_at', 'incident_url', 'expected_resume']) raw[key] = '';
  }
}

/** Why a batch touching `ecosystems` may not run now under this control file, or null. */
export function stopReason(control: ControlFile, ecosystems: readonly string[]): string | null {
  const why = control.reason ? `: ${control.reason}` : '';
  if (!control.enabled) return `emergency stop${why}`;
  const stopped = ecosystems.find((ecosystem) => control.disabled_ecosystems.includes(ecosystem));
  return stopped === undefined ? null : `ecosystem "${stopped}" stopped${why}`;
}

/**
 * The same for a control file's text as found elsewhere (a remote head): a missing or broken file
 * stops the batch too (fail closed).
 */
export function stopReasonInText(text: string | null, name: string, ecosystems: readonly string[]): string | null {
  if (text === null) return `${name} is missing`;
  try {
    return stopReason(parseControlFile(text, name), ecosystems);
  } catch (error) {
    return (error as Error).message;
  }
}
