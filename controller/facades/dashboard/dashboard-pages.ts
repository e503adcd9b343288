// The dashboard's files (docs/dashboard.md): index.html, app.js and app.css that `npm run build` writes
// to dist/dashboard, read once at start and answered from memory. The page talks to the server only
// through its public API, so this module serves bytes and the page's Content-Security-Policy, nothing else.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** One file of the page as the server answers it. */
export interface DashboardFile {
  body: Uint8Array;
  type: string;
}

/** URL path → the file; `/` is the page itself. */
export type DashboardFiles = (path: string) => DashboardFile | null;

/**
 * Everything from this origin only, nothing inline (no script or style attribute runs), no frames, no
 * forms posting elsewhere. `connect-src 'self'` covers the WebSocket at /ws on the same host and port
 * (CSP level 3 lets 'self' match ws: and wss:).
 */
export const DASHBOARD_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const FILES = [
  { path: '/', file: 'index.html', type: 'text/html; charset=utf-8' },
  { path: '/dashboard/app.js', file: 'app.js', type: 'text/javascript; charset=utf-8' },
  { path: '/dashboard/app.css', file: 'app.css', type: 'text/css; charset=utf-8' },
] as const;

/** The paths the page answers (for the HTTP facade to mount). */
export const DASHBOARD_PATHS: readonly string[] = FILES.map((f) => f.path);

/**
 * Reads the built files from `dir` (dist/dashboard). A file that is missing (the page was not built) is
 * answered as a short page saying so, never a crash of the server.
 * @example const files = dashboardFiles({ dir: 'dist/dashboard' }); files('/')?.type // 'text/html; charset=utf-8'
 */
export function dashboardFiles({ dir }: { dir: string }): DashboardFiles {
  const table = new Map<string, DashboardFile>();
  for (const { path, file, type } of FILES) {
    let body: Uint8Array;
    try {
      body = readFileSync(join(dir, file));
    } catch {
      body = new TextEncoder().encode(
        path === '/' ? '<!doctype html><title>batchctl</title><p>The dashboard was not built: run npm run build.</p>' : '',
      );
    }
    table.set(path, { body, type });
  }
  return (path) => table.get(path) ?? null;
}
