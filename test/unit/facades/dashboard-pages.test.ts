// The dashboard's files as the server answers them, and which Origin counts as the page's own.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { DASHBOARD_CSP, DASHBOARD_PATHS, dashboardFiles } from '../../../controller/facades/dashboard/index.js';
import { isSameOrigin } from '../../../controller/domain/index.js';

describe('dashboardFiles', () => {
  it('answers the built page, script and stylesheet with their types, and nothing else', () => {
    const dir = mkdtempSync(join(tmpdir(), 'batchctl-dashboard-'));
    try {
      writeFileSync(join(dir, 'index.html'), '<!doctype html><title>x</title>');
      writeFileSync(join(dir, 'app.js'), 'export {};');
      writeFileSync(join(dir, 'app.css'), 'body{}');
      const files = dashboardFiles({ dir });
      expect(DASHBOARD_PATHS).toEqual(['/', '/dashboard/app.js', '/dashboard/app.css']);
      expect(files('/')?.type).toBe('text/html; charset=utf-8');
      expect(new TextDecoder().decode(files('/dashboard/app.js')?.body)).toBe('export {};');
      expect(files('/dashboard/app.css')?.type).toBe('text/css; charset=utf-8');
      expect(files('/dashboard/../etc/passwd')).toBeNull();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('answers a page that says how to build it when the build is missing', () => {
    const files = dashboardFiles({ dir: join(tmpdir(), 'batchctl-no-such-dashboard') });
    expect(new TextDecoder().decode(files('/')?.body)).toContain('npm run build');
  });

  it('allows no inline script or style and nothing from another origin', () => {
    expect(DASHBOARD_CSP).toContain("default-src 'none'");
    expect(DASHBOARD_CSP).not.toMatch(/unsafe-inline|unsafe-eval|https?:/);
    expect(DASHBOARD_CSP).toContain("frame-ancestors 'none'");
  });
});

describe('isSameOrigin', () => {
  it("takes the request's own IP address or localhost with its port", () => {
    expect(isSameOrigin('http://127.0.0.1:8022', '127.0.0.1:8022')).toBe(true);
    expect(isSameOrigin('http://localhost:8022', 'localhost:8022')).toBe(true);
    expect(isSameOrigin('http://[::1]:8022', '[::1]:8022')).toBe(true);
    expect(isSameOrigin('https://10.0.0.5', '10.0.0.5')).toBe(true);
  });

  it('refuses another port, another host, no Host, and a DNS name (it could be rebound to 127.0.0.1)', () => {
    expect(isSameOrigin('http://127.0.0.1:9999', '127.0.0.1:8022')).toBe(false);
    expect(isSameOrigin('http://evil.example', '127.0.0.1:8022')).toBe(false);
    expect(isSameOrigin('http://127.0.0.1:8022', undefined)).toBe(false);
    expect(isSameOrigin('http://evil.example:8022', 'evil.example:8022')).toBe(false);
  });
});
