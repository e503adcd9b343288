// A page the server itself served (the dashboard at GET /) calls back with its own Origin: that is not
// a cross-site request, so the allow-list need not name the server's own address and ephemeral port.
import { isIP } from 'node:net';

/**
 * True when `origin` is `http(s)://<host>` for the request's own Host, and that host is an IP literal or
 * `localhost`. A DNS name is not taken: a rebinding attack (evil.example resolving to 127.0.0.1) sends
 * Origin and Host that agree, so a name must be on the allow-list (`--cors-origin`) to be trusted.
 */
export function isSameOrigin(origin: string, host: string | undefined): boolean {
  if (host === undefined) return false;
  if (origin !== `http://${host}` && origin !== `https://${host}`) return false;
  const name = host.replace(/:\d+$/, '').replace(/^\[(.*)\]$/, '$1');
  return name === 'localhost' || isIP(name) !== 0;
}
