// The short run (CI, `npm run test:stress:short`) and the long one (`npm run stress`, STRESS_LONG=1):
// the same tests, with the counts and durations of each. Every figure is bounded: each test stops by itself.
export const LONG = process.env.STRESS_LONG === '1';

/** `short` in CI, `long` under `npm run stress`; STRESS_<NAME>=n overrides either. */
export function count(name: string, short: number, long: number): number {
  const override = Number(process.env[`STRESS_${name.toUpperCase()}`]);
  return Number.isFinite(override) && override > 0 ? override : LONG ? long : short;
}

/** A figure line the long run's log carries into docs/reliability.md. */
export function figure(name: string, value: unknown): void {
  process.stdout.write(`STRESS ${name} ${JSON.stringify(value)}\n`);
}

/**
 * fast-check's options for one fuzz: `numRuns` from count(), and a seed (STRESS_SEED, else the clock)
 * printed before the run, so a failure is reproduced with STRESS_SEED=<seed> (fast-check prints it
 * too, with the shrunk counterexample's path).
 */
export function fuzzRuns(name: string, short: number, long: number): { seed: number; numRuns: number } {
  const fixed = process.env.STRESS_SEED ? Number(process.env.STRESS_SEED) : NaN;
  const seed = Number.isInteger(fixed) ? fixed : Date.now() % 2 ** 31;
  const numRuns = count(name, short, long);
  figure(`${name}-seed`, { seed, numRuns, reproduce: `STRESS_SEED=${seed}` });
  return { seed, numRuns };
}
