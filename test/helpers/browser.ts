// Debian's chromium driven by playwright-core for the dashboard's tests, and a watch on each page for
// what must never happen there: a console error, an uncaught exception, a CSP violation.
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

export function launchChromium(): Promise<Browser> {
  // --no-sandbox: CI containers run as root, where chromium's sandbox cannot start.
  return chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
}

export interface WatchedPage {
  page: Page;
  context: BrowserContext;
  /** console errors, uncaught exceptions and CSP violations, in the order they happened */
  problems: string[];
}

/**
 * A new page (its own context, so its own sessionStorage) with `token` already signed in when given.
 * `expected`: console errors the test provokes on purpose (a refused request's "Failed to load resource").
 */
export async function openPage(
  browser: Browser,
  { width = 1280, height = 900, token }: { width?: number; height?: number; token?: string } = {},
): Promise<WatchedPage> {
  const context = await browser.newContext({ viewport: { width, height } });
  const page = await context.newPage();
  // Waiting for an element is waiting for a condition; on two shared cores it may take longer than 30 s.
  page.setDefaultTimeout(60_000);
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`exception: ${error.message}`));
  await page.exposeFunction('__reportCsp', (text: string) => problems.push(`csp: ${text}`));
  // Page-side code as text: the tests compile without the DOM's types.
  const signIn = token === undefined ? '' : `sessionStorage.setItem('batchctl.token', ${JSON.stringify(token)});`;
  await page.addInitScript({
    content: `document.addEventListener('securitypolicyviolation', (e) => window.__reportCsp(e.violatedDirective + ' blocked ' + e.blockedURI)); ${signIn}`,
  });
  return { page, context, problems };
}
