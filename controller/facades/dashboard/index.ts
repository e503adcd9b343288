// facades/dashboard: the operations page at GET / of `batchctl serve` (docs/dashboard.md). The server
// side only serves the built files; the page (page/*.ts, bundled for the browser) uses the public API.
export { DASHBOARD_CSP, DASHBOARD_PATHS, dashboardFiles, type DashboardFile, type DashboardFiles } from './dashboard-pages.js';
