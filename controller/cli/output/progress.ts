// The terminal progress bar (stderr): done/failed/total, ops/s and ETA.
import cliProgress from 'cli-progress';

import type { BatchEvent, ProgressData } from '../../domain/index.js';

export interface ProgressBar {
  onEvent(event: BatchEvent): void;
  stop(): void;
}

export function createProgressBar(): ProgressBar {
  const bar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format: ' {bar} {value}/{total} done, {failed} failed | {rate} ops/s | ETA {eta_text} | {path}',
      barsize: 30,
      hideCursor: true,
      clearOnComplete: false,
      fps: 10,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    onEvent(event) {
      if (event.type !== 'batch_progress') return;
      const p = event.data as unknown as ProgressData;
      const payload = {
        failed: p.failed,
        rate: p.ops_per_second,
        eta_text: p.eta_seconds === null ? '-' : `${p.eta_seconds}s`,
        path: p.current?.path ?? '',
      };
      if (!started) {
        bar.start(p.total, 0, payload);
        started = true;
      }
      bar.update(p.completed + p.failed, payload);
    },
    stop() {
      if (started) bar.stop();
    },
  };
}
