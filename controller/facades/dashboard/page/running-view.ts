// The running batch: a live bar (succeeded, failed and skipped of total), ops/s, ETA, elapsed (from its
// start, not its submission) and the server's memory, fed by the event stream; the queued batches under
// it in the order they will run.
import { api } from './api.js';
import { byId, fill, h } from './dom.js';
import { bytes, duration } from './format.js';
import type { BatchRow, Progress } from './types.js';

interface Running {
  id: string;
  title: string;
  ecosystem: string;
  started: number;
  progress: Progress;
  status: string;
  /** when its final event came (ms), null while it runs */
  ended: number | null;
}

let running: Running | null = null;
let clock: ReturnType<typeof setInterval> | undefined;

/** A batch started (or the page found one running when it opened). */
export function showRunning({
  id,
  title,
  ecosystem,
  startedAt,
  progress,
}: {
  id: string;
  title: string;
  ecosystem: string;
  startedAt: string;
  progress: Progress;
}): void {
  running = { id, title, ecosystem, started: Date.parse(startedAt), progress, status: 'running', ended: null };
  // What Elapsed counts from, for a reader (and the browser test) to check.
  byId('running-body').dataset.startedAt = startedAt;
  clearInterval(clock);
  // Elapsed time moves between progress events too (a slow step).
  clock = setInterval(render, 1000);
  render();
}

export function runningId(): string | null {
  return running?.id ?? null;
}

export function onProgress(batchId: string, progress: Progress): boolean {
  if (!running || running.id !== batchId) return false;
  running.progress = progress;
  render();
  return true;
}

/** Its final event: the bar stays, with the outcome, until the next batch starts. */
export function onFinished(batchId: string, status: string, at: string): void {
  if (!running || running.id !== batchId) return;
  running.status = status;
  running.ended = Date.parse(at) || Date.now();
  clearInterval(clock);
  render();
}

function render(): void {
  if (!running) return;
  const { completed, failed, total } = running.progress;
  // The engine's `failed` is every step that did not land; `skipped` (absent from old progress) is its share never started.
  const skipped = Math.min(failed, running.progress.skipped ?? 0);
  const done = completed + failed;
  const fraction = total > 0 ? done / total : 0;
  const elapsed = (running.ended ?? Date.now()) - running.started;
  fill(
    byId('running-body'),
    h(
      'p',
      {},
      h('code', {}, running.id),
      ` ${running.title} · ${running.ecosystem} · `,
      h('span', { class: `status status-${running.status}`, id: 'running-status' }, running.status),
    ),
    h(
      'div',
      {
        class: 'bar',
        id: 'running-bar',
        role: 'progressbar',
        'aria-label': `progress of ${running.id}`,
        'aria-valuemin': 0,
        'aria-valuemax': total,
        'aria-valuenow': done,
        'aria-valuetext': `${done} of ${total} (${Math.floor(fraction * 100)} %)`,
        'data-percent': Math.floor(fraction * 100),
      },
      h('div', { class: 'bar-ok', 'data-w': total ? completed / total : 0 }),
      h('div', { class: 'bar-bad', 'data-w': total ? (failed - skipped) / total : 0 }),
      h('div', { class: 'bar-skip', 'data-w': total ? skipped / total : 0 }),
    ),
    h(
      'dl',
      { class: 'stats' },
      stat('Done', `${done} / ${total} (${Math.floor(fraction * 100)} %)`, 'running-done'),
      stat('Succeeded', String(completed), 'running-ok'),
      stat('Failed', String(failed - skipped), 'running-failed'),
      stat('Skipped', String(skipped), 'running-skipped'),
      stat('Ops/s', running.progress.ops_per_second === undefined ? '–' : running.progress.ops_per_second.toFixed(0)),
      stat(
        'ETA',
        running.status === 'running' && running.progress.eta_seconds !== null && running.progress.eta_seconds !== undefined
          ? duration(running.progress.eta_seconds * 1000)
          : '–',
      ),
      stat('Elapsed', duration(elapsed)),
      stat('Server memory', bytes(running.progress.rss_bytes)),
    ),
    running.status === 'running'
      ? h(
          'button',
          { type: 'button', class: 'danger', id: 'cancel-running', 'data-role': 'operator', 'data-cancel': running.id },
          'Cancel…',
        )
      : null,
  );
  // Widths through the CSSOM: the CSP allows no style attribute, but script may set properties.
  for (const part of byId('running-bar').children) (part as HTMLElement).style.width = `${Number((part as HTMLElement).dataset.w) * 100}%`;
}

function stat(label: string, value: string, id?: string): HTMLElement {
  return h('div', {}, h('dt', {}, label), h('dd', id ? { id } : {}, value));
}

/** The queue, in run order: highest priority first, then oldest (docs/lifecycle.md#the-queue). */
export async function loadQueue(): Promise<void> {
  const { batches } = await api<{ batches: BatchRow[] }>('/api/batches?status=queued&limit=100');
  const ordered = [...batches].sort((a, b) => b.priority - a.priority || a.created_at.localeCompare(b.created_at));
  fill(
    byId('queue'),
    ...(ordered.length === 0
      ? [h('li', { class: 'muted' }, 'none')]
      : ordered.map((b) =>
          h('li', {}, h('code', {}, b.batch_id), ` ${b.title} · ${b.ecosystem}${b.priority ? ` · priority ${b.priority}` : ''}`),
        )),
  );
}
