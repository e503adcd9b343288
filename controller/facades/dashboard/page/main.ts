// The dashboard's entry (bundled to dist/dashboard/app.js): sign in once, learn the role, then keep every
// panel current from the event stream; lists are re-read after lifecycle events, throttled to stay well
// inside the API's rate limit however busy the server is.
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

/**
 * The API allows a token 100 requests a minute (docs/serve.md#rate-limits), and a busy server emits
 * many events: lists are re-read at most every 3 s (the charts every 15 s), in one trailing read per
 * burst, and the open batch's detail only when an event is about it. An operator's own action
 * (`now`) is shown at once.
 */
const LIST_EVERY_MS = 3000;
const CHARTS_EVERY_MS = 15_000;
let refreshTimer: ReturnType<typeof setTimeout> | undefined;
let lastRefresh = 0;
let lastCharts = 0;
let chartsDue = false;
let detailDue = false;

function refreshSoon({
  charts = false,
  batchId = null,
  now = false,
}: { charts?: boolean; batchId?: string | null; now?: boolean } = {}): void {
  chartsDue ||= charts;
  detailDue ||= now || (batchId !== null && batchId === detailId());
  if (refreshTimer !== undefined && !now) return;
  clearTimeout(refreshTimer);
  refreshTimer = setTimeout(refresh, now ? 0 : Math.max(300, lastRefresh + LIST_EVERY_MS - Date.now()));
}

let chartsTimer: ReturnType<typeof setTimeout> | undefined;
function drawChartsWhenDue(): void {
  if (chartsTimer !== undefined) return;
  chartsTimer = setTimeout(
    () => {
      chartsTimer = undefined;
      chartsDue = false;
      lastCharts = Date.now();
      loadCharts().catch(report);
    },
    Math.max(0, lastCharts + CHARTS_EVERY_MS - Date.now()),
  );
}

function refresh(): void {
  refreshTimer = undefined;
  lastRefresh = Date.now();
  const tasks = [loadBatches(), loadQueue(), loadControl(role)];
  if (chartsDue) drawChartsWhenDue();
  const open = detailId();
  if (open && detailDue) tasks.push(showDetail(open));
  detailDue = false;
  Promise.all(tasks).catch(report);
}

function showDetail(id: string): Promise<void> {
  selectBatch(id);
  return openDetail(id, { role, notify, changed: () => refreshSoon({ charts: true, now: true }) });
}

async function adoptRunning(batchId: string): Promise<void> {
  const details = await api<BatchDetails>(`/api/batches/${encodeURIComponent(batchId)}`);
  if (runningId() === batchId) return;
  const b = details.batch;
  const progress: Progress = details.progress ?? { completed: b.success_count, failed: b.failure_count, total: b.total_count };
  // Elapsed counts from its start: a batch that waited in the queue was created long before it ran.
  const startedAt = details.started_at ?? b.created_at;
  showRunning({ id: b.batch_id, title: b.title, ecosystem: b.ecosystem, startedAt, progress });
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
    refreshSoon({ batchId: id });
  } else if (event.type === 'batch_progress' && id) {
    // A batch whose start this page did not see (it opened mid-batch): adopt it.
    if (!onProgress(id, event.data as unknown as Progress))
      void adoptRunning(id).then(() => onProgress(id, event.data as unknown as Progress), report);
  } else if (FINAL.has(event.type) && id) {
    onFinished(id, FINAL_STATUS[event.type] ?? event.type, event.at);
    onSubmittedFinished(id, FINAL_STATUS[event.type] ?? event.type);
    refreshSoon({ charts: true, batchId: id });
    // The final event can come a moment before the row is recorded: read the lists once more after it.
    setTimeout(() => refreshSoon({ batchId: id }), 1500);
  } else {
    refreshSoon({ charts: event.type === 'rollback_complete', batchId: id });
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
  wireControl(() => refreshSoon({ now: true }), notify);
  wireSubmit(() => refreshSoon({ now: true }));
  // Whatever the events missed (a purge, a hand edit of the control file), once a minute.
  setInterval(() => refreshSoon({ charts: true }), 60_000);
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
