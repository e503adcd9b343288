// /metrics (docs/serve.md#metrics) on a real server: valid Prometheus text format, open on loopback,
// a given token checked, and counters and gauges that move as batches run and roll back.
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';

import type { Engine } from '../../../controller/engine/index.js';
import { batch, useEngineRepos } from '../../helpers/engine.js';
import { startStreamServer, VIEWER, type StreamServer } from '../../helpers/stream-server.js';

const setup = useEngineRepos();
const servers: StreamServer[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
});

async function started(): Promise<{ engine: Engine; server: StreamServer }> {
  const { engine } = await setup();
  const server = await startStreamServer(engine);
  servers.push(server);
  return { engine, server };
}

const NAME = '[a-zA-Z_:][a-zA-Z0-9_:]*';
const LABEL = `[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\\\\n]|\\\\[\\\\"n])*"`;
// Values as Prometheus reads them (Go's ParseFloat: NaN and Inf in any case; prom-client writes "Nan").
const SAMPLE = new RegExp(`^(${NAME})(\\{(?:${LABEL}(?:,${LABEL})*)?\\})? (-?[0-9.e+-]+|[Nn][Aa][Nn]|[+-][Ii]nf)( -?\\d+)?$`);
const TYPES = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped']);

/**
 * The text exposition format, strictly: HELP and TYPE once per family before its samples, every sample
 * line well formed and of a declared family (histograms as _bucket/_sum/_count). Returns "name{labels}" → value.
 */
function parseExposition(text: string): Map<string, number> {
  const samples = new Map<string, number>();
  const typed = new Map<string, string>();
  const helped = new Set<string>();
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const meta = line.match(new RegExp(`^# (HELP|TYPE) (${NAME}) (.*)$`));
    if (meta) {
      const [, kind, name = '', rest = ''] = meta;
      if (kind === 'HELP') {
        expect(helped.has(name), `HELP twice for ${name}`).toBe(false);
        helped.add(name);
      } else {
        expect(TYPES.has(rest), `type of ${name}: ${rest}`).toBe(true);
        expect(typed.has(name), `TYPE twice for ${name}`).toBe(false);
        typed.set(name, rest);
      }
      continue;
    }
    const sample = line.match(SAMPLE);
    expect(sample, `not a sample line: ${line}`).not.toBeNull();
    const [, name = '', labels = '', value = ''] = sample ?? [];
    const family = typed.has(name) ? name : name.replace(/_(bucket|sum|count)$/, '');
    expect(typed.has(family), `sample of undeclared family: ${line}`).toBe(true);
    samples.set(`${name}${labels}`, Number(value));
  }
  return samples;
}

async function scrape(server: StreamServer, headers: Record<string, string> = {}): Promise<Map<string, number>> {
  const response = await fetch(`${server.http}/metrics`, { headers });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
  return parseExposition(await response.text());
}

describe('/metrics', () => {
  it('is open on loopback, takes a viewer token, refuses a bad one', async () => {
    const { server } = await started();
    await scrape(server);
    await scrape(server, VIEWER);
    const refused = await fetch(`${server.http}/metrics`, { headers: { authorization: 'Bearer nope' } });
    expect(refused.status).toBe(401);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('UNAUTHENTICATED');
  });

  it('parses as the text format, with default process metrics, and its counters move as batches run', async () => {
    const { engine, server } = await started();
    const before = await scrape(server);
    expect(before.get('batchctl_queue_depth')).toBe(0);
    expect(before.get('batchctl_websocket_clients')).toBe(0);
    expect(before.has('process_resident_memory_bytes')).toBe(true);
    expect(before.has('batchctl_batches_total{ecosystem="npm",status="completed"}')).toBe(false);

    const done = await engine.run(
      batch({
        operations: [
          { type: 'write', target: 'a.txt', content: 'a\n' },
          { type: 'write', target: 'b.txt', content: 'b\n' },
          { type: 'write', target: 'c.txt', content: 'c\n' },
        ],
      }),
    );
    expect(done.status).toBe('completed');
    const rollback = await engine.rollback(done.batch_id);
    const client = new WebSocket(server.ws, { headers: VIEWER });
    await new Promise((resolve) => client.once('open', resolve));

    const after = await scrape(server);
    client.close();
    expect(after.get('batchctl_batches_total{ecosystem="npm",status="completed"}')).toBe(2); // the batch and its rollback batch
    expect(after.get('batchctl_operations_total{type="write",status="succeeded"}')).toBe(3);
    expect(after.get('batchctl_batch_duration_seconds_count{ecosystem="npm",status="completed"}')).toBe(2);
    expect(after.get(`batchctl_rollbacks_total{status="${rollback.status}"}`)).toBe(1);
    expect(after.get('batchctl_websocket_clients')).toBe(1);
    expect(after.get('batchctl_http_requests_total{route="/metrics",status="200"}')).toBe(1);
    expect(after.get('batchctl_http_request_duration_seconds_count{route="/metrics"}')).toBe(1);
    const control = await engine.controlStatus();
    for (const breaker of control.breakers) {
      expect(after.get(`batchctl_breaker_state{ecosystem="${breaker.ecosystem}",state="${breaker.effective_state}"}`)).toBe(1);
    }
    for (const unit of control.budget.units) expect(after.get(`batchctl_budget_used{unit="${unit.unit}"}`)).toBe(unit.used);
    expect(control.budget.units.length).toBeGreaterThan(0);
  });
});
