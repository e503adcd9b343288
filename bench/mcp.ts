// The MCP facade's cost (issue 14): what an agent pays per batch over stdio on top of the engine.
/*
 * mcp-execute-10: an MCP `execute_batch` of 10 writes, timed from the client's call to its result (the
 *   SDK Client over stdio to a `batchctl mcp` child process, warmed up), against the same batch through
 *   an engine opened in-process (`submit` then `wait`) on an identical copy. Median of 50 each (10 with
 *   --quick); contenders alternate which goes first. No target: the ratio is the facade's overhead
 *   (JSON-RPC framing, two schema parses, the result's rendering), reported as INFO.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';

import { changeSet, copyRepo, PROJECT, seedRepo, type Change } from './fixtures.js';
import { type BenchOptions, fmtMs, median, type Outcome } from './report.js';

type Engine = import('../controller/engine/index.js').Engine;

const dist = (path: string): string => pathToFileURL(join(PROJECT, 'dist', 'controller', path)).href;
const ENV = { BATCHCTL_LOG_LEVEL: 'silent', BATCHCTL_AUTHOR_NAME: 'bench', BATCHCTL_AUTHOR_EMAIL: 'bench@localhost' } as const;

const operationsOf = (changes: readonly Change[]) => changes.map((c) => ({ type: 'write', target: c.path, content: c.content }));

async function openEngine(dir: string): Promise<Engine> {
  const app = (await import(dist('app/index.js'))) as typeof import('../controller/app/index.js');
  return app.openEngine({ repo: dir, env: { ...ENV } });
}

async function viaEngine(engine: Engine, changes: readonly Change[]): Promise<number> {
  const { parseBatchValue } = (await import(dist('domain/index.js'))) as typeof import('../controller/domain/index.js');
  const batch = parseBatchValue({ title: 'bench', ecosystem: 'npm', requested_by: 'bench', operations: operationsOf(changes) });
  const start = performance.now();
  const { batch_id } = await engine.submit(batch, { source: 'bench' });
  const result = await engine.wait(batch_id);
  const seconds = (performance.now() - start) / 1000;
  if (result.status !== 'completed') throw new Error(`[mcp-execute-10] engine batch ${batch_id} ended ${result.status}`);
  return seconds;
}

async function viaMcp(client: Client, changes: readonly Change[]): Promise<number> {
  const start = performance.now();
  const result = await client.callTool({
    name: 'execute_batch',
    arguments: { title: 'bench', ecosystem: 'npm', operations: operationsOf(changes) },
  });
  const seconds = (performance.now() - start) / 1000;
  const status = (result.structuredContent as { status?: string } | undefined)?.status;
  if (result.isError || status !== 'completed')
    throw new Error(`[mcp-execute-10] MCP batch ended ${status ?? JSON.stringify(result.content)}`);
  return seconds;
}

export async function mcpBench({ quick, root }: BenchOptions, wants: (name: string) => boolean): Promise<Outcome[]> {
  if (!wants('mcp')) return [];
  const repeats = quick ? 10 : 50;
  const files = 1_000;
  const dir = join(root, 'mcp-execute-10');
  seedRepo(join(dir, 'seed'), files);
  copyRepo(join(dir, 'seed'), join(dir, 'mcp'));
  copyRepo(join(dir, 'seed'), join(dir, 'engine'));
  const base = Object.fromEntries(Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined));
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [join(PROJECT, 'bin', 'batchctl.js'), 'mcp', '--repo', join(dir, 'mcp')],
    env: { ...base, ...ENV, GITHUB_ACTIONS: '' },
    stderr: 'ignore',
  });
  const client = new Client({ name: 'bench', version: '1' });
  await client.connect(transport);
  const engine = await openEngine(join(dir, 'engine'));
  const ours: number[] = [];
  const theirs: number[] = [];
  try {
    // Warm-up: compiled code, open readers, the database's pages, on both sides.
    await viaMcp(client, changeSet(files, 10, 1024, 1000));
    await viaEngine(engine, changeSet(files, 10, 1024, 1000));
    for (let k = 0; k < repeats; k++) {
      const changes = changeSet(files, 10, 1024, k);
      if (k % 2 === 0) {
        theirs.push(await viaEngine(engine, changes));
        ours.push(await viaMcp(client, changes));
      } else {
        ours.push(await viaMcp(client, changes));
        theirs.push(await viaEngine(engine, changes));
      }
    }
  } finally {
    await client.close();
    await engine.close();
  }
  const mcp = median(ours);
  const inProcess = median(theirs);
  const ratio = mcp / inProcess;
  return [
    {
      line: `mcp-execute-10: MCP execute_batch ${fmtMs(mcp)}, engine in-process ${fmtMs(inProcess)}, ratio ${ratio.toFixed(2)}× (no target) INFO  [10 writes of 1 KiB into ${files.toLocaleString('en-US')} files, client call to result over stdio; median of ${repeats}]`,
      pass: null,
      row: { name: 'mcp-execute-10', figure: fmtMs(mcp), baseline: fmtMs(inProcess), ratio: `${ratio.toFixed(2)}×`, goal: '—' },
    },
  ];
}
