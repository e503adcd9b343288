// Who is calling: the client's name and version from the MCP handshake, as the batch records them
// (`requested_by: mcp:<name>`, trailer `Batch-Agent: <name>/<version>`; docs/mcp.md#safety).

export interface Agent {
  /** `mcp:<client name>`: requested_by of its batches, disabled_by of its stops */
  requestedBy: string;
  /** `<client name>/<client version>`: the Batch-Agent trailer */
  trailer: string;
}

/**
 * A client names itself: its name goes into commit trailers, so anything that could start another
 * trailer line or hide text (control characters, newlines) is replaced, and the length is bounded.
 */
function clean(value: string | undefined, fallback: string, max: number): string {
  const printable = (value ?? '').replace(/[^\x20-\x7e]/g, '?').trim();
  return (printable === '' ? fallback : printable).slice(0, max);
}

export function agentOf(client: { name?: string; version?: string } | undefined): Agent {
  const name = clean(client?.name, 'unknown-client', 100);
  const version = clean(client?.version, '0', 40);
  return { requestedBy: `mcp:${name}`, trailer: `${name}/${version}` };
}
