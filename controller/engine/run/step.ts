// A lifecycle step: does its part and says whether the run goes on (SPEC §4; Flux-style step list).
import type { RunContext } from './run-context.js';

export type StepOutcome = 'continue' | 'stop';
export type RunStep = (ctx: RunContext) => Promise<StepOutcome>;
