// The SDK's MCP Client over stdio, spawning the built CLI (`batchctl mcp --repo DIR`) as a real child.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';

import { CLI } from './run-cli.js';

export interface McpSession {
  client: Client;
  /** what the server wrote to stderr so far (its logs) */
  stderr(): string;
  /** call a tool and return its result (a tool error is a result, isError true) */
  call(name: string, args: Record<string, unknown>): Promise<CallToolResult>;
  close(): Promise<void>;
}

export async function mcpSession(
  dir: string,
  { name = 'test-agent', version = '1.2.3', env = {} }: { name?: string; version?: string; env?: Record<string, string> } = {},
): Promise<McpSession> {
  const base = Object.fromEntries(Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined));
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [CLI, 'mcp', '--repo', dir],
    cwd: dir,
    env: { ...base, GITHUB_ACTIONS: '', GITHUB_STEP_SUMMARY: '', GITHUB_TOKEN: '', BATCHCTL_LOG_LEVEL: 'info', ...env },
    stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const client = new Client({ name, version });
  await client.connect(transport);
  // Listing the tools makes the client check every structuredContent against its tool's output schema.
  await client.listTools();
  return {
    client,
    stderr: () => stderr,
    call: async (tool, args) => (await client.callTool({ name: tool, arguments: args })) as CallToolResult,
    close: () => client.close(),
  };
}

/** The text of a tool result (its first content block). */
export function textOf(result: CallToolResult): string {
  const first = result.content[0];
  return first?.type === 'text' ? first.text : '';
}
