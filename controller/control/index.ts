// control/: batch-control.json — load (fail closed), defaults, edits, preflight, the stop check.
export { defaultControlFile, renderControlFile } from './default-control-file.js';
export { withControlFile } from './with-control-file.js';
export { computeControlEdit, editControlFile, objectAt, type ControlEdit, type RawControl } from './edit-control-file.js';
export { loadControl, loadControlFile, parseControl, parseControlFile, type LoadedControl } from './load-control-file.js';
export { checkControlKeys, type ControlKeyReport } from './control-keys.js';
export { preflight, type PreflightContext, type PreflightDecision } from './preflight.js';
export { type UnreadableBreaker } from './unreadable-breakers.js';
export { controlFileJsonSchema } from './json-schema.js';
export { applyResume, applyStop, stopReason, stopReasonInText, type StopRequest } from './stop-resume.js';
export { watchForStop } from './stop-watch.js';
export { breakerGate, recordOutcome, type BreakerState, type BreakerTransition } from './breaker.js';
export { budgetGate, charge, pressure, usage, weekStart, type Cost } from './budget.js';
export { controlDiff } from './control-diff.js';
export { hasPath, removedSettings } from './removed-settings.js';
export { readPolicyFile } from './policy-file.js';
export { isAutomationIdentity } from './automation-identity.js';
export { computeSlis, severityOf, type EcosystemSli, type Severity, type SliRow } from './sli.js';
export { ecosystemOutcomes, failingEcosystems, type EcosystemOutcome, type EcosystemOutcomes } from './ecosystem-outcomes.js';
