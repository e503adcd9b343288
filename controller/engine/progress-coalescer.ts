// Which progress events are stored (docs/events.md#progress-events): at most one per batch every
// 100 ms, plus the final one, so a 10,000-step batch stores tens of them, not 10,000, and a resumed
// subscriber still replays where each batch got to. The latest one held back is stored when its window
// ends (a timer), or at once before the batch's next lifecycle event, so progress never trails its end.
import type { ProgressData } from '../domain/index.js';

/** The window: ~10 stored progress events a second per batch. */
export const PROGRESS_WINDOW_MS = 100;

export interface ProgressCoalescer {
  /** true: store this one now; false: it is held (replacing one held before) */
  offer(batchId: string, data: ProgressData): boolean;
  /** the held one of this batch, taken (the caller stores it), or null */
  take(batchId: string): ProgressData | null;
  /** the batch ended: forget it */
  end(batchId: string): void;
}

interface BatchWindow {
  storedAt: number;
  held: ProgressData | null;
  timer: NodeJS.Timeout | null;
}

/** `flush(batchId)` is called when a held event's window ends; it should take() and store it. */
export function createProgressCoalescer(flush: (batchId: string) => void): ProgressCoalescer {
  const windows = new Map<string, BatchWindow>();
  const clear = (window: BatchWindow): void => {
    if (window.timer) clearTimeout(window.timer);
    window.timer = null;
  };
  return {
    offer(batchId, data) {
      const now = performance.now();
      const window = windows.get(batchId);
      const final = data.completed + data.failed >= data.total;
      if (!window || final || now - window.storedAt >= PROGRESS_WINDOW_MS) {
        if (window) {
          clear(window);
          window.held = null;
          window.storedAt = now;
        } else windows.set(batchId, { storedAt: now, held: null, timer: null });
        return true;
      }
      window.held = data;
      if (!window.timer) {
        window.timer = setTimeout(() => flush(batchId), Math.max(1, PROGRESS_WINDOW_MS - (now - window.storedAt)));
        window.timer.unref(); // a held progress event never keeps a process alive
      }
      return false;
    },
    take(batchId) {
      const window = windows.get(batchId);
      if (!window?.held) return null;
      const held = window.held;
      clear(window);
      window.held = null;
      window.storedAt = performance.now();
      return held;
    },
    end(batchId) {
      const window = windows.get(batchId);
      if (window) clear(window);
      windows.delete(batchId);
    },
  };
}
