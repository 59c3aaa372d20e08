// Headless Chromium (Debian's, driven by playwright-core) with one page, for the browser tests.
import { chromium } from 'playwright-core';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Launches Chromium and opens one page that records its script errors in `pageErrors` and its Content-Security-Policy
 * violations in `cspViolations` (the tests assert both stay empty).
 */
export async function openPage({ viewport, timeoutMs, pageErrors, cspViolations }) {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      // No internet here: without these Chromium keeps dialing out and logging refused connections.
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const context = await browser.newContext({ viewport });
  context.setDefaultTimeout(timeoutMs);
  const page = await context.newPage();
  page.on('pageerror', (err) => pageErrors.push(String(err)));
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
  });
  return { browser, context, page };
}
