// npm run test:crash -- --points 500 [--seed N]: the crash test with a longer sweep of kill points.
import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: { points: { type: 'string', default: '500' }, seed: { type: 'string', default: String(Date.now() % 1e9) } },
});
if (!/^\d+$/.test(values.points) || !/^\d+$/.test(values.seed)) {
  console.error('usage: npm run test:crash -- [--points N] [--seed N]');
  process.exit(2);
}
console.log(`crash sweep: ${values.points} points, seed ${values.seed} (replay with --seed ${values.seed})`);
const result = spawnSync('npx', ['vitest', 'run', 'test/e2e/crash.test.ts'], {
  stdio: 'inherit',
  env: { ...process.env, BATCHCTL_CRASH_POINTS: values.points, BATCHCTL_CRASH_SEED: values.seed },
});
process.exit(result.status ?? 1);
