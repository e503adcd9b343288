// GET /api/interlock/peers and /api/interlock/stats (docs/interlock.md#http): what the UDP facade
// knows of its peers and counts, for a viewer. app/ hands over the two readers: facades never import
// each other, so this module knows the shapes only as JSON.
import { Hono } from 'hono';

import type { Authenticate } from '../auth/principal.js';
import { requireViewer } from '../events/bearer-viewer.js';

export interface InterlockView {
  /** the peer table, one entry per peer */
  peers(): readonly object[];
  /** sent, received, accepted, dropped by reason, peers */
  stats(): object;
}

/** @example app.route('/', interlockRoutes({ authenticate, interlock })); */
export function interlockRoutes({ authenticate, interlock }: { authenticate: Authenticate; interlock: InterlockView }): Hono {
  const app = new Hono();
  app.get('/api/interlock/peers', (c) => {
    requireViewer(c, authenticate);
    return c.json({ peers: interlock.peers() });
  });
  app.get('/api/interlock/stats', (c) => {
    requireViewer(c, authenticate);
    return c.json(interlock.stats());
  });
  return app;
}
