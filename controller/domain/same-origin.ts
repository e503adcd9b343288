// A page this server served calling back with its own Origin (the dashboard at GET /, over HTTP and /ws):
// not a cross-site request, so the allow-list need not name the server's own address and ephemeral port
// (docs/dashboard.md). One rule for the HTTP and the WebSocket facades.

/**
 * True when `origin` is `http(s)://<host>` for the request's own Host, and that host is an IP literal or
 * `localhost`. A DNS name is not taken: a rebinding attack (evil.example resolving to 127.0.0.1) sends
 * Origin and Host that agree, so a name must be on the allow-list (`--cors-origin`) to be trusted.
 */
export function isSameOrigin(origin: string, host: string | undefined): boolean {
  if (host === undefined || (origin !== `http://${host}` && origin !== `https://${host}`)) return false;
  const name = host.replace(/:\d+$/, '');
  return name === 'localhost' || /^\d{1,3}(\.\d{1,3}){3}$/.test(name) || /^\[[0-9a-f:.]+\]$/i.test(name);
}
