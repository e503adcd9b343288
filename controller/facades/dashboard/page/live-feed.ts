// The engine's event stream for the page (docs/serve.md#websocket, #events-over-sse): WebSocket at /ws
// first, SSE (/api/events read with fetch, which can send the token) when a WebSocket cannot open.
// Either way a reconnect resumes after the last seq taken, and a seq at or below it is never handed on,
// so progress is neither lost nor counted twice across a drop.
import { authHeaders } from './api.js';
import { savedToken } from './session.js';
import type { EngineEvent } from './types.js';

export type Transport = 'connecting' | 'websocket' | 'sse' | 'offline';

export interface FeedState {
  transport: Transport;
  /** the last seq handed on; null before the first (the stream then starts at the server's latest) */
  lastSeq: number | null;
  reconnects: number;
  /** a `gap` message: events purged while away (docs/events.md#replay-and-gaps) */
  gap: boolean;
}

export interface Feed {
  state(): FeedState;
  /** every event handed on, in order, as [seq, batch_id] (the page's test hook reads it) */
  seqs(): ReadonlyArray<readonly [number, string | null]>;
  /** cut the current connection as a network failure would (the reconnect follows) */
  breakConnection(): void;
  stop(): void;
}

const BACKOFF_MS = [250, 500, 1000, 2000, 5000];
const SEQ_LOG_LIMIT = 200_000;
const SSE_UPGRADE_MS = 120_000;

/** @example const feed = startFeed({ onEvent: (e) => render(e), onState: (s) => show(s) }); */
export function startFeed({ onEvent, onState }: { onEvent(event: EngineEvent): void; onState(state: FeedState): void }): Feed {
  const state: FeedState = { transport: 'connecting', lastSeq: null, reconnects: 0, gap: false };
  const seqs: Array<readonly [number, string | null]> = [];
  let stopped = false;
  let failures = 0;
  let preferSse = false;
  let cut: (() => void) | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const publish = (): void => onState({ ...state });
  const take = (event: EngineEvent): void => {
    if (state.lastSeq !== null && event.seq <= state.lastSeq) return; // replayed twice: already shown
    state.lastSeq = event.seq;
    if (seqs.length < SEQ_LOG_LIMIT) seqs.push([event.seq, event.batch_id]);
    onEvent(event);
  };

  const retry = (useSse: boolean, { upgrade = false }: { upgrade?: boolean } = {}): void => {
    cut = null;
    if (stopped) return;
    preferSse = useSse;
    if (upgrade) return connect(); // not a failure: SSE gives way to a WebSocket that may work now
    state.transport = 'offline';
    state.reconnects += 1;
    publish();
    const wait = BACKOFF_MS[Math.min(failures, BACKOFF_MS.length - 1)] ?? 5000;
    failures += 1;
    timer = setTimeout(connect, wait);
  };

  function connectWebSocket(): void {
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    const token = savedToken();
    // A browser cannot set headers on a WebSocket: the token travels as a subprotocol.
    const socket = new WebSocket(`${scheme}//${location.host}/ws`, token ? ['batchctl', `bearer.${token}`] : ['batchctl']);
    let subscribed = false;
    let over = false;
    const end = (): void => {
      if (over) return;
      over = true;
      // Never subscribed: this network or proxy does not pass WebSockets; the next try is SSE.
      retry(!subscribed);
    };
    cut = () => socket.close(4000, 'dropped by the page');
    socket.addEventListener('open', () => {
      socket.send(JSON.stringify({ type: 'subscribe', ...(state.lastSeq === null ? {} : { after_seq: state.lastSeq }) }));
    });
    socket.addEventListener('message', (message) => {
      const frame = JSON.parse(String(message.data)) as Record<string, unknown>;
      if (typeof frame.seq === 'number') take(frame as unknown as EngineEvent);
      else if (frame.type === 'subscribed') {
        subscribed = true;
        failures = 0;
        if (state.lastSeq === null && typeof frame.after_seq === 'number') state.lastSeq = frame.after_seq;
        state.transport = 'websocket';
        publish();
      } else if (frame.type === 'gap') {
        state.gap = true;
        publish();
      }
      // `dropped` is followed by the close (1013): the reconnect below resumes after lastSeq.
    });
    socket.addEventListener('close', end);
    socket.addEventListener('error', end);
  }

  function connectSse(): void {
    const controller = new AbortController();
    cut = () => controller.abort();
    // SSE is the fallback: after a while, hand over to a WebSocket again (a flaky first upgrade, a proxy
    // since fixed). The hand-over resumes after lastSeq like any reconnect; if the WebSocket still
    // cannot open, the next try is SSE again.
    let upgrading = false;
    const upgrade = setTimeout(() => {
      upgrading = true;
      controller.abort();
    }, SSE_UPGRADE_MS);
    const headers: Record<string, string> = { Accept: 'text/event-stream', ...authHeaders() };
    if (state.lastSeq !== null) headers['Last-Event-ID'] = String(state.lastSeq);
    void (async () => {
      try {
        const response = await fetch('/api/events', { headers, signal: controller.signal });
        if (!response.ok || !response.body) throw new Error(`events: HTTP ${response.status}`);
        failures = 0;
        state.transport = 'sse';
        publish();
        let buffer = '';
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += value;
          let end: number;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            readSseMessage(buffer.slice(0, end));
            buffer = buffer.slice(end + 2);
          }
        }
      } catch {
        // aborted or failed: reconnect below
      }
      clearTimeout(upgrade);
      retry(false, { upgrade: upgrading }); // try the WebSocket again next
    })();
  }

  function readSseMessage(text: string): void {
    let type = 'message';
    let data = '';
    for (const line of text.split('\n')) {
      if (line.startsWith('event:')) type = line.slice(6).trim();
      else if (line.startsWith('data:')) data += line.slice(5).trim();
    }
    if (!data) return; // a `: keepalive` comment
    if (type === 'gap') {
      state.gap = true;
      publish();
      return;
    }
    if (type === 'dropped' || type === 'end') return; // the stream closes; the reconnect resumes
    take(JSON.parse(data) as EngineEvent);
  }

  function connect(): void {
    if (stopped) return;
    state.transport = 'connecting';
    publish();
    if (preferSse) connectSse();
    else connectWebSocket();
  }

  connect();
  return {
    state: () => ({ ...state }),
    seqs: () => seqs,
    breakConnection: () => cut?.(),
    stop: () => {
      stopped = true;
      clearTimeout(timer);
      cut?.();
    },
  };
}
