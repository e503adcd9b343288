// The InterLock facade's counts as Prometheus series (docs/interlock.md#metrics), read from its stats
// at scrape time: the UDP facade keeps the one count, this only shows it. Until `serve --udp` hands
// over a reader there are no samples (the series stay absent rather than read as zeros).
import { Counter, Gauge, type Registry } from 'prom-client';

import type { InterlockView } from '../interlock/interlock-routes.js';

/** What the counters read: the UDP facade's stats and peer table, as their JSON shapes. */
interface Counts {
  sent?: number;
  received?: number;
  accepted?: number;
  dropped?: Record<string, number>;
}

export function interlockCounters(registry: Registry): (view: InterlockView) => void {
  let view: InterlockView | null = null;
  const read = (): Counts => (view ? (view.stats() as Counts) : {});
  new Counter({
    name: 'batchctl_interlock_datagrams_total',
    help: 'InterLock UDP datagrams, by direction (sent, received) and, for received ones, accepted',
    labelNames: ['kind'] as const,
    registers: [registry],
    collect() {
      if (!view) return;
      const counts = read();
      this.reset();
      for (const kind of ['sent', 'received', 'accepted'] as const) this.inc({ kind }, counts[kind] ?? 0);
    },
  });
  new Counter({
    name: 'batchctl_interlock_dropped_total',
    help: 'InterLock UDP datagrams dropped, by reason (docs/interlock.md#dropped-datagrams)',
    labelNames: ['reason'] as const,
    registers: [registry],
    collect() {
      if (!view) return;
      this.reset();
      for (const [reason, n] of Object.entries(read().dropped ?? {})) this.inc({ reason }, n);
    },
  });
  new Gauge({
    name: 'batchctl_interlock_peers',
    help: 'InterLock peers now, by status (unknown, up, down, stopped)',
    labelNames: ['status'] as const,
    registers: [registry],
    collect() {
      if (!view) return;
      this.reset();
      for (const status of ['unknown', 'up', 'down', 'stopped']) this.set({ status }, 0);
      for (const peer of view.peers() as Array<{ status?: string }>) if (peer.status) this.inc({ status: peer.status });
    },
  });
  return (given) => {
    view = given;
  };
}
