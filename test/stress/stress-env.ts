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
