// A lifecycle step: does its part and says whether the run goes on (docs/lifecycle.md#the-steps-of-a-run; Flux-style step list).
import type { RunContext } from './run-context.js';

export type StepOutcome = 'continue' | 'stop';
export type RunStep = (ctx: RunContext) => Promise<StepOutcome>;
