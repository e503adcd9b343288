// Preflight (SPEC §4 step 2): may this batch run now? Pure: control file + batch in, decision out.
// Breakers and budget join this list in the control-plane work; each check is one entry.
import { CONTROL_FILE_NAME, type ControlFile } from '../domain/index.js';
import type { ErrorCode } from '../errors/index.js';

export type PreflightDecision = { admit: true } | { admit: false; code: ErrorCode; message: string; hint: string };

type Check = (control: ControlFile, batch: { ecosystem: string }) => PreflightDecision | null;

function stopDetails(control: ControlFile): string {
  const parts = [
    control.reason && `reason: ${control.reason}`,
    control.disabled_by && `by ${control.disabled_by}`,
    control.incident_url && `incident: ${control.incident_url}`,
    control.expected_resume && `expected resume: ${control.expected_resume}`,
  ].filter(Boolean);
  return parts.length > 0 ? ` (${parts.join('; ')})` : '';
}

const emergencyStop: Check = (control) =>
  control.enabled
    ? null
    : {
        admit: false,
        code: 'EMERGENCY_STOP',
        message: `emergency stop is on in ${CONTROL_FILE_NAME}${stopDetails(control)}`,
        hint: 'an operator lifts it with `batchctl resume` or by committing "enabled": true',
      };

const ecosystemDisabled: Check = (control, batch) =>
  control.disabled_ecosystems.includes(batch.ecosystem)
    ? {
        admit: false,
        code: 'ECOSYSTEM_DISABLED',
        message: `ecosystem "${batch.ecosystem}" is disabled in ${CONTROL_FILE_NAME}${stopDetails(control)}`,
        hint: `an operator lifts it with \`batchctl resume --ecosystem ${batch.ecosystem}\``,
      }
    : null;

const CHECKS: readonly Check[] = [emergencyStop, ecosystemDisabled];

export function preflight(control: ControlFile, batch: { ecosystem: string }): PreflightDecision {
  for (const check of CHECKS) {
    const decision = check(control, batch);
    if (decision) return decision;
  }
  return { admit: true };
}
