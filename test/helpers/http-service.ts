// A real HTTP server of `batchctl serve` on 127.0.0.1, an ephemeral port, over an engine on a test
// repository (real git, real SQLite). Tokens of each role, hashed as the tokens file stores them.
import { createHash } from 'node:crypto';

import { afterEach } from 'vitest';

import { tokenAuthenticator } from '../../controller/app/index.js';
import type { Engine } from '../../controller/engine/index.js';
import { createHttpApp, startServer, type HttpAppOptions, type ServiceState } from '../../controller/facades/http/index.js';
import { createLogger } from '../../controller/log/index.js';
import { engineFor } from './engine.js';
import { gitRepo, removeRepo, type TestRepo } from './git-repo.js';

export const TOKENS = { viewer: 'tok-viewer-1', operator: 'tok-operator-1', admin: 'tok-admin-1' } as const;

const sha = (token: string): string => createHash('sha256').update(token).digest('hex');

export interface HttpService {
  repo: TestRepo;
  engine: Engine;
  service: ServiceState;
  url: string;
  /** fetch `path` with the role's token (none: no Authorization header) */
  call(path: string, init?: RequestInit & { as?: keyof typeof TOKENS | 'none' | 'bad' }): Promise<Response>;
}

type Extra = Partial<Pick<HttpAppOptions, 'rateLimits' | 'bodyLimit' | 'corsOrigins'>> & { anonymous?: boolean };

/** @example const start = useHttpService(); const { call } = await start({ 'a.txt': 'x' }); */
export function useHttpService(): (files?: Record<string, string>, extra?: Extra) => Promise<HttpService> {
  const opened: Array<{ repo: TestRepo; engine: Engine; close: () => Promise<void> }> = [];
  afterEach(async () => {
    for (const { repo, engine, close } of opened.splice(0)) {
      await engine.close();
      await close();
      removeRepo(repo);
    }
  });
  return async (files = {}, { anonymous = false, ...extra } = {}) => {
    const repo = gitRepo(files);
    const engine = await engineFor(repo);
    const service: ServiceState = { phase: 'ready' };
    const authenticate = anonymous
      ? (token: string | undefined) => (token === undefined ? null : ('invalid' as const))
      : tokenAuthenticator(
          Object.entries(TOKENS).map(([role, token]) => ({ name: `${role}-bot`, role: role as keyof typeof TOKENS, sha256: sha(token) })),
        );
    const app = createHttpApp({
      engine,
      authenticate,
      anonymous: anonymous ? { name: 'local', role: 'admin' } : null,
      service,
      logger: createLogger({ level: 'silent' }),
      version: 'test',
      ...extra,
    });
    const running = await startServer({ app, port: 0, host: '127.0.0.1' });
    opened.push({ repo, engine, close: () => (running.server.closeAllConnections(), running.close()) });
    const url = `http://127.0.0.1:${running.port}`;
    const call: HttpService['call'] = (path, { as = 'admin', headers, ...init } = {}) => {
      const auth: Record<string, string> = as === 'none' ? {} : { authorization: `Bearer ${as === 'bad' ? 'not-a-token' : TOKENS[as]}` };
      return fetch(url + path, { ...init, headers: { ...auth, ...(headers as Record<string, string> | undefined) } });
    };
    return { repo, engine, service, url, call };
  };
}

/** POST a JSON body. */
export function json(body: unknown): RequestInit {
  return { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}
