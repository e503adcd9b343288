// app/: the composition root.
export { readEnvironment, type Environment } from './environment.js';
export { openEngine, type OpenEngineOptions } from './open-engine.js';
export { startMcp, type McpOptions, type McpService } from './mcp.js';
export { logFailures, openGitHub, requireGitHub, type GitHubAccess } from './open-github.js';
export { startService, VERSION, type ServeOptions, type Service } from './serve.js';
export { addToken, readTokensFile, tokenAuthenticator } from './tokens-file.js';
