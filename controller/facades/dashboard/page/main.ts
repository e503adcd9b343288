// The dashboard's entry (bundled to dist/dashboard/app.js): sign in once, learn the role, then keep every
// panel current from the event stream; lists are re-read after lifecycle events (debounced, so a busy
// server costs a few requests a second at most, well inside the API's rate limit).
import { api, ApiError, errorText } from './api.js';
import { loadBatches, selectBatch, wireBatches } from './batches-view.js';
import { loadCharts } from './charts-view.js';
import { loadControl, wireControl } from './control-view.js';
import { detailId, openDetail } from './detail-view.js';
import { byId } from './dom.js';
import { startFeed, type Feed, type FeedState } from './live-feed.js';
import { applyRole } from './roles.js';
import { loadQueue, onFinished, onProgress, runningId, showRunning } from './running-view.js';
import { forgetToken, savedToken, saveToken } from './session.js';
import { onSubmittedFinished, wireSubmit } from './submit-view.js';
import type { BatchDetails, BatchRow, EngineEvent, Progress, Role, Whoami } from './types.js';

const FINAL = new Set(['batch_complete', 'batch_failed', 'batch_cancelled', 'batch_refused']);
const FINAL_STATUS: Record<string, string> = {
  batch_complete: 'completed',
  batch_failed: 'failed',
  batch_cancelled: 'cancelled',
  batch_refused: 'refused',
};

let role: Role | null = null;
let feed: Feed | null = null;

function notify(text: string): void {
  byId('notice').textContent = text;
}

function report(error: unknown): void {
  notify(errorText(error));
}

async function signIn(): Promise<Whoami> {
  const dialog = byId<HTMLDialogElement>('token-dialog');
  const input = byId<HTMLInputElement>('token-input');
  for (;;) {
    if (savedToken() !== null) {
      try {
        return await api<Whoami>('/api/whoami');
      } catch (error) {
        forgetToken();
        byId('token-error').textContent =
          error instanceof ApiError && error.status === 401 ? `${error.message}: try another token` : errorText(error);
      }
    }
    await new Promise<void>((done) => {
      byId<HTMLFormElement>('token-form').onsubmit = (event) => {
        event.preventDefault();
        saveToken(input.value.trim());
        input.value = '';
        dialog.close();
        done();
      };
      dialog.showModal();
    });
  }
}

let refreshTimer: ReturnType<typeof setTimeout> | undefined;
let chartsDue = false;
/** Re-read the lists once the burst of events is over. */
function refreshSoon({ charts = false }: { charts?: boolean } = {}): void {
  chartsDue ||= charts;
  clearTimeout(refreshTimer);
  refreshTimer = setTimeout(() => {
    const tasks = [loadBatches(), loadQueue(), loadControl(role)];
    if (chartsDue) tasks.push(loadCharts());
    chartsDue = false;
    const open = detailId();
    if (open) tasks.push(showDetail(open));
    Promise.all(tasks).catch(report);
  }, 300);
}

function showDetail(id: string): Promise<void> {
  selectBatch(id);
  return openDetail(id, { role, notify, changed: () => refreshSoon({ charts: true }) });
}

async function adoptRunning(batchId: string): Promise<void> {
  const details = await api<BatchDetails>(`/api/batches/${encodeURIComponent(batchId)}`);
  if (runningId() === batchId) return;
  const b = details.batch;
  const progress: Progress = details.progress ?? { completed: b.success_count, failed: b.failure_count, total: b.total_count };
  showRunning({ id: b.batch_id, title: b.title, ecosystem: b.ecosystem, startedAt: b.created_at, progress });
}

function onEvent(event: EngineEvent): void {
  const id = event.batch_id;
  if (event.type === 'batch_started' && id) {
    const data = event.data as { title?: string; ecosystem?: string; total?: number };
    showRunning({
      id,
      title: data.title ?? '',
      ecosystem: data.ecosystem ?? '',
      startedAt: event.at,
      progress: { completed: 0, failed: 0, total: data.total ?? 0 },
    });
    refreshSoon();
  } else if (event.type === 'batch_progress' && id) {
    // A batch whose start this page did not see (it opened mid-batch): adopt it.
    if (!onProgress(id, event.data as unknown as Progress))
      void adoptRunning(id).then(() => onProgress(id, event.data as unknown as Progress), report);
  } else if (FINAL.has(event.type) && id) {
    onFinished(id, FINAL_STATUS[event.type] ?? event.type, event.at);
    onSubmittedFinished(id, FINAL_STATUS[event.type] ?? event.type);
    refreshSoon({ charts: true });
    // The final event can come a moment before the row is recorded: read the lists once more after it.
    setTimeout(() => refreshSoon(), 1500);
  } else {
    refreshSoon({ charts: event.type === 'rollback_complete' });
  }
}

function showState(state: FeedState): void {
  const element = byId('connection');
  element.dataset.transport = state.transport;
  element.dataset.lastSeq = String(state.lastSeq ?? '');
  element.dataset.reconnects = String(state.reconnects);
  const names = { connecting: 'connecting…', websocket: 'live (WebSocket)', sse: 'live (SSE)', offline: 'reconnecting…' } as const;
  element.textContent = `${names[state.transport]}${state.gap ? ' · some old events were purged' : ''}`;
}

async function boot(): Promise<void> {
  const who = await signIn();
  role = who.role;
  byId('who').textContent = `${who.name} · ${who.role}`;
  byId('who').dataset.role = who.role;
  const signOut = byId<HTMLButtonElement>('sign-out');
  signOut.hidden = false;
  signOut.onclick = () => {
    forgetToken();
    location.reload();
  };
  applyRole(document, role);
  wireBatches((id) => void showDetail(id).catch(report));
  wireControl(() => refreshSoon(), notify);
  wireSubmit(() => refreshSoon());
  document.addEventListener('click', (event) => {
    const target = (event.target as HTMLElement).closest<HTMLElement>('#cancel-running');
    if (target?.dataset.cancel) void showDetail(target.dataset.cancel).then(() => byId('detail').focus(), report);
  });
  feed = startFeed({ onEvent, onState: showState });
  // The test hook and the console's: the stream's seqs, and a way to cut it as a network would.
  (window as unknown as { __batchctl: unknown }).__batchctl = { feed };
  await Promise.all([loadBatches(), loadQueue(), loadControl(role), loadCharts().catch(report)]);
  const { batches } = await api<{ batches: BatchRow[] }>('/api/batches?status=running&limit=1');
  if (batches[0] && runningId() === null) await adoptRunning(batches[0].batch_id);
}

boot().catch(report);
