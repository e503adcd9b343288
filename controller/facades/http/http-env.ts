// What the middleware leaves on the request context for the handlers and the request log.
import type { BatchctlError } from '../../errors/index.js';
import type { Principal } from './auth/principal.js';

export interface HttpEnv {
  Variables: {
    /** the caller: a token's principal, the anonymous loopback principal, or null */
    principal: Principal | null;
    /** what the request offered: no token, one that matched, one that matched none */
    credential: 'none' | 'valid' | 'invalid';
    /** the route's path as declared (`/api/batches/:id`), for the log and metrics */
    route: string;
    /** an unexpected error, for the request log */
    failure: BatchctlError;
    requestId: string;
    /** the reason a rollback, cancel or stop gave, for the request log (the engine records it too) */
    reason: string;
  };
}

/** The server's phase (docs/serve.md#lifecycle): /ready is 503 unless ready; submissions are 503 while stopping. */
export interface ServiceState {
  phase: 'recovering' | 'ready' | 'stopping';
}
