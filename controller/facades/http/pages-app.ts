// Static pages beside the API (the dashboard, docs/dashboard.md): open GETs of fixed paths, each with
// the page's own Content-Security-Policy. The files come from app/ (facades/dashboard); this facade
// only answers them, so neither facade imports the other.
import { Hono } from 'hono';

import type { HttpEnv } from './http-env.js';

export interface PagesOptions {
  /** the paths to answer (`/`, `/dashboard/app.js`…) */
  paths: readonly string[];
  files: (path: string) => { body: Uint8Array; type: string } | null;
  /** the Content-Security-Policy of these responses (secureHeaders sets none of its own) */
  csp: string;
}

/** @example createHttpApp({ ..., mount: [pagesApp({ paths: DASHBOARD_PATHS, files, csp: DASHBOARD_CSP })] }) */
export function pagesApp({ paths, files, csp }: PagesOptions): Hono {
  const app = new Hono<HttpEnv>();
  for (const path of paths) {
    app.get(path, (c) => {
      c.set('route', path);
      const file = files(path);
      if (!file) return c.notFound();
      return c.body(file.body as Uint8Array<ArrayBuffer>, 200, {
        'Content-Type': file.type,
        'Content-Security-Policy': csp,
        // A page an operator keeps open: revalidated on reload, never stale after an upgrade.
        'Cache-Control': 'no-cache',
      });
    });
  }
  // createHttpApp mounts plain sub-apps; the context at run time is the parent's, HttpEnv's variables included.
  return app as unknown as Hono;
}
