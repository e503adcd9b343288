// facades/mcp: the MCP server of `batchctl mcp` (docs/mcp.md), a thin adapter over the engine.
export { createMcpServer, serveStdio, type McpServerOptions, type StdioSession } from './server.js';
