// Drives the real Swagger UI of a running SliceAuth in Debian's headless Chromium:
// register, log in, call /protected and /me, log out, call /protected again, all through
// "Try it out" / "Execute" with the request bodies exactly as the page fills them in from
// the document's examples (a person just presses Execute, top to bottom), and reads the
// results off the page like a person would. Needs a fresh data directory (run.sh makes one):
// the examples register one fixed account.
//
// Operations are found by HTTP method + path text, never by tag or operationId,
// so renaming tags, operationIds or summaries in the OpenAPI document does not break it.
//
// Run through tools/browser/run.sh, which starts the server; by hand:
//   BASE_URL=http://127.0.0.1:5190 node --test tools/browser/swagger.test.mjs
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openPage } from './chromium.mjs';

const BASE_URL = (process.env.BASE_URL ?? 'http://127.0.0.1:5190').replace(/\/+$/, '');
const ARTIFACTS = join(dirname(fileURLToPath(import.meta.url)), 'artifacts');
// The machine is small and shared: give Swagger UI and bcrypt time.
const TIMEOUT_MS = Number(process.env.BROWSER_TIMEOUT_MS ?? 30_000);

// The operations in the order a person uses them; the page must show them so.
const SEED_ORDER = [
  'POST /register',
  'POST /email/verify',
  'POST /login',
  'POST /login/2fa',
  'POST /login/passkey/options',
  'POST /login/passkey',
  'GET /protected',
  'GET /auth/verify',
  'GET /me',
  'POST /me/email/verification',
  'POST /me/email',
  'POST /logout',
  'GET /me/sessions',
  'DELETE /me/sessions/{id}',
  'DELETE /me/sessions',
  'POST /me/password',
  'POST /me/2fa/totp',
  'POST /me/2fa/totp/confirm',
  'POST /me/2fa/recovery-codes',
  'DELETE /me/2fa',
  'POST /me/passkeys/options',
  'POST /me/passkeys',
  'GET /me/passkeys',
  'DELETE /me/passkeys/{id}',
  'POST /password/forgot',
  'POST /password/reset',
  'DELETE /me',
];

// The example account, as read from the register form the page filled in.
const user = {};

let browser;
let context;
let page;
const pageErrors = [];
const cspViolations = [];

// Once a step fails the later ones cannot mean anything: skip them instead of piling up failures.
let broken = null;
function step(name, fn) {
  it(name, async (t) => {
    if (broken) {
      t.skip(`earlier step failed: ${broken}`);
      return;
    }
    try {
      await fn();
    } catch (err) {
      broken = name;
      await screenshot(`failed-${name.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}.png`, { fullPage: true }).catch(() => {});
      throw err;
    }
  });
}

async function screenshot(file, options = {}) {
  mkdirSync(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, file);
  await page.screenshot({ path, ...options });
  return path;
}

/** The operation block for METHOD PATH, found by the summary's method class and exact path text. */
function operation(method, path) {
  const exactPath = new RegExp(`^\\s*${path.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}\\s*$`);
  return page
    .locator(`.opblock.opblock-${method.toLowerCase()}`)
    .filter({ has: page.locator('.opblock-summary-path', { hasText: exactPath }) })
    // An operation with several tags is drawn once under each: any copy will do.
    .first();
}

/** Expands the block (if collapsed) and switches it to "Try it out" (if not already). */
async function openTryItOut(op) {
  await op.waitFor({ state: 'visible' });
  const control = op.locator('.opblock-summary-control');
  if ((await control.getAttribute('aria-expanded')) !== 'true') await control.click();
  await op.locator('.opblock-body').waitFor();
  const tryOut = op.locator('.try-out__btn');
  // The same button reads "Cancel" (class "cancel") once try-it-out mode is on.
  if (!(await tryOut.evaluate((b) => b.classList.contains('cancel')))) await tryOut.click();
  await op.locator('.execute').waitFor();
}

/**
 * Clicks Execute and returns what the "Server response" table shows: the status code
 * and the response body text. Any earlier live response is cleared first, so the
 * result read is certainly this request's.
 */
async function execute(op, method, path) {
  const clear = op.locator('.btn-clear');
  if (await clear.count()) await clear.click();
  await op.locator('.live-responses-table').waitFor({ state: 'detached' });

  const seen = page.waitForResponse(
    (r) => r.request().method() === method && new URL(r.url()).pathname === path,
  );
  await op.locator('.execute').click();
  const response = await seen;

  const live = op.locator('.live-responses-table');
  await live.waitFor();
  // The status cell also holds an "Undocumented" note for codes the document does not list.
  const statusText = await live
    .locator('.response .response-col_status')
    .first()
    .evaluate((td) => td.firstChild?.textContent ?? '');
  const bodyBlock = live.locator('.response-col_description .highlight-code pre');
  const body = (await bodyBlock.count()) ? await bodyBlock.first().innerText() : '';
  return { status: Number(statusText.trim()), networkStatus: response.status(), body };
}

describe('Swagger UI drives SliceAuth in headless Chromium', () => {
  before(async () => {
    ({ browser, context, page } = await openPage({ viewport: { width: 1280, height: 1000 }, timeoutMs: TIMEOUT_MS, pageErrors, cspViolations }));
  });

  after(async () => {
    if (page && !broken) await screenshot('final.png', { fullPage: true }).catch(() => {});
    if (pageErrors.length) console.log(`# page errors:\n${pageErrors.map((e) => `#   ${e}`).join('\n')}`);
    await browser?.close();
  });

  step('Swagger UI loads and shows the API title', async () => {
    const response = await page.goto(`${BASE_URL}/swagger`);
    assert.equal(response?.status(), 200, 'GET /swagger answers 200');
    await page.locator('.swagger-ui .info .title').waitFor();
    assert.equal(await page.title(), 'SliceAuth', 'browser tab title');
    const heading = await page.locator('.swagger-ui .info .title').innerText();
    assert.match(heading, /SliceAuth/, 'the API title is shown at the top of the page');
    await page.locator('.opblock').first().waitFor();
  });

  step('operations are listed in the order a person uses them', async () => {
    const shown = await page.locator('.opblock').evaluateAll((blocks) =>
      blocks.map((b) => {
        const method = b.querySelector('.opblock-summary-method')?.textContent.trim();
        const path = b.querySelector('.opblock-summary-path')?.textContent.replace(/\u200b/g, '').trim();
        return `${method} ${path}`;
      }),
    );
    assert.deepEqual(shown, SEED_ORDER);
  });

  step('POST /register via Try it out answers 201', async () => {
    const op = operation('POST', '/register');
    await openTryItOut(op);
    // Not typed over: the example the page filled in must work as it is.
    Object.assign(user, JSON.parse(await op.locator('textarea.body-param__text').inputValue()));
    assert.ok(user.username && user.email && user.password, 'the register body is filled with an example');
    const { status, networkStatus, body } = await execute(op, 'POST', '/register');
    assert.equal(networkStatus, 201, 'the browser got 201');
    assert.equal(status, 201, 'Swagger UI shows 201');
    assert.equal(JSON.parse(body).username, user.username, 'the response body names the new user');
  });

  step('POST /login via Try it out answers 200 and sets the session cookie', async () => {
    const op = operation('POST', '/login');
    await openTryItOut(op);
    assert.deepEqual(
      JSON.parse(await op.locator('textarea.body-param__text').inputValue()),
      { username: user.username, password: user.password },
      'the login example logs in the account the register example created',
    );
    const { status, networkStatus, body } = await execute(op, 'POST', '/login');
    assert.equal(networkStatus, 200, 'the browser got 200');
    assert.equal(status, 200, 'Swagger UI shows 200');
    assert.equal(JSON.parse(body).username, user.username, 'the response body names the user');

    const cookie = (await context.cookies(BASE_URL)).find((c) => c.name === 'sliceauth');
    assert.ok(cookie, 'the browser holds the sliceauth cookie');
    assert.equal(cookie.httpOnly, true, 'cookie is HttpOnly');
    assert.equal(cookie.sameSite, 'Lax', 'cookie is SameSite=Lax');
    assert.equal(cookie.path, '/', 'cookie path is /');
  });

  step('GET /protected via Try it out answers 200 with the username (logged in)', async () => {
    const op = operation('GET', '/protected');
    await openTryItOut(op);
    const { status, networkStatus, body } = await execute(op, 'GET', '/protected');
    assert.equal(networkStatus, 200, 'the browser got 200');
    assert.equal(status, 200, 'Swagger UI shows 200');
    assert.match(body, new RegExp(`"username":\\s*"${user.username}"`), 'the response body shows the username');

    // The logged-in state as a person sees it: the /protected block with its 200 response.
    await op.locator('.live-responses-table').scrollIntoViewIfNeeded();
    mkdirSync(ARTIFACTS, { recursive: true });
    await op.screenshot({ path: join(ARTIFACTS, 'protected-200.png') });
  });

  step('GET /me via Try it out answers 200 with the account', async () => {
    const op = operation('GET', '/me');
    await openTryItOut(op);
    const { status, networkStatus, body } = await execute(op, 'GET', '/me');
    assert.equal(networkStatus, 200, 'the browser got 200');
    assert.equal(status, 200, 'Swagger UI shows 200');
    const me = JSON.parse(body);
    assert.equal(me.username, user.username, 'the account is the logged-in one');
    assert.equal(me.email, user.email, 'with its email');
  });

  step('POST /logout via Try it out answers 204', async () => {
    const op = operation('POST', '/logout');
    await openTryItOut(op);
    const { status, networkStatus } = await execute(op, 'POST', '/logout');
    assert.equal(networkStatus, 204, 'the browser got 204');
    assert.equal(status, 204, 'Swagger UI shows 204');
  });

  step('GET /protected after logout answers 401', async () => {
    const op = operation('GET', '/protected');
    await openTryItOut(op);
    const { status, networkStatus, body } = await execute(op, 'GET', '/protected');
    assert.equal(networkStatus, 401, 'the browser got 401');
    assert.equal(status, 401, 'Swagger UI shows 401');
    assert.doesNotMatch(body, new RegExp(user.username), 'no username leaks into the 401 body');
    await op.locator('.live-responses-table').scrollIntoViewIfNeeded();
    await op.screenshot({ path: join(ARTIFACTS, 'protected-401.png') });
  });

  step('the page ran under its Content-Security-Policy without a violation or script error', async () => {
    assert.deepEqual(cspViolations, [], 'no CSP violation was reported');
    assert.deepEqual(pageErrors, [], 'no uncaught script error');
  });
});
