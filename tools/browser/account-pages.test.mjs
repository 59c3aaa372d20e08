// Drives the pages SliceAuth serves for mailed links (/account/reset-password, /account/verify-email) in Debian's
// headless Chromium, the way a person with nothing but SliceAuth and a mail client uses them (the account page
// itself, /account, is account.test.mjs):
//   - the pages load under their Content-Security-Policy and show the right form (no API route needed);
//   - a new account's verification mail, read from the pickup directory, verifies the address when opened;
//   - "forgot password" on the page, the reset mail, its link, a new password: the new password logs in, the old
//     one and a session from before the reset do not.
// The API calls around the pages (register, login, /me, /protected) go straight to the API, not through a browser.
//
// Needs the server's mail pickup directory (MAIL_DIR: {data dir}/mail/, the default without SMTP settings).
// Run through tools/browser/run.sh, which starts the server; by hand:
//   BASE_URL=http://127.0.0.1:5190 MAIL_DIR=/path/to/data/mail node --test tools/browser/account-pages.test.mjs
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { apiAt } from './api.mjs';
import { openPage } from './chromium.mjs';
import { emlFiles, waitForMail } from './eml.mjs';

const BASE_URL = (process.env.BASE_URL ?? 'http://127.0.0.1:5190').replace(/\/+$/, '');
const MAIL_DIR = process.env.MAIL_DIR;
// run.sh names a folder per storage provider, so the CI stages of both keep their screenshots.
const ARTIFACTS = process.env.ARTIFACTS_DIR ?? join(dirname(fileURLToPath(import.meta.url)), 'artifacts');
// The machine is small and shared: give bcrypt and the mail queue time.
const TIMEOUT_MS = Number(process.env.BROWSER_TIMEOUT_MS ?? 30_000);

const PAGES_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; form-action 'none'; " +
  "frame-ancestors 'none'; base-uri 'none'";

// A fresh account for this run (the Swagger test registers its own fixed one).
const suffix = randomBytes(4).toString('hex');
const user = {
  username: `pages_${suffix}`,
  email: `pages_${suffix}@example.com`,
  password: `amber ${suffix} lighthouse`,
};
const newPassword = `violet ${suffix} harbour crane`;

let browser;
let context;
let page;
const pageErrors = [];
const cspViolations = [];
let sessionBeforeReset; // the cookie of a login before the reset: the reset must end it

/** Steps of one story: once a step fails the later ones cannot mean anything, so they are skipped. */
function story() {
  let broken = null;
  return (name, fn) =>
    it(name, async (t) => {
      if (broken) {
        t.skip(`earlier step failed: ${broken}`);
        return;
      }
      try {
        await fn();
      } catch (err) {
        broken = name;
        await screenshot(`failed-${name.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}.png`).catch(() => {});
        throw err;
      }
    });
}

async function screenshot(file) {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, file), fullPage: true });
}

/** The API itself, as a client that is not a browser. */
const api = apiAt(BASE_URL, TIMEOUT_MS);

/** The session cookie ("name=value") a login answer sets. */
function sessionCookie(response) {
  const cookie = response.headers.getSetCookie().find((c) => /^(__Host-)?sliceauth=/.test(c));
  assert.ok(cookie, 'the login answer sets the session cookie');
  return cookie.split(';')[0];
}

/** The outcome box once it shows `kind` (success, error, pending), with its text. */
async function outcome(kind) {
  const box = page.locator(`#outcome[data-outcome="${kind}"]`);
  await box.waitFor({ state: 'visible' });
  return box.innerText();
}

/** The page at url; checks it answered 200 under the pages' policy. */
async function open(url) {
  const response = await page.goto(url);
  assert.equal(response?.status(), 200, `GET ${new URL(url).pathname} answers 200`);
  assert.equal(response.headers()['content-security-policy'], PAGES_POLICY, 'the page carries the account pages\' CSP');
  return response;
}

/** The mail pickup files there are now, so the next wait sees only newer ones. */
async function mailsNow() {
  return new Set(await emlFiles(MAIL_DIR));
}

describe('the account pages drive password reset and address verification in headless Chromium', () => {
  before(async () => {
    ({ browser, context, page } = await openPage({ viewport: { width: 900, height: 800 }, timeoutMs: TIMEOUT_MS, pageErrors, cspViolations }));
  });

  after(async () => {
    if (pageErrors.length) console.log(`# page errors:\n${pageErrors.map((e) => `#   ${e}`).join('\n')}`);
    if (cspViolations.length) console.log(`# CSP violations:\n${cspViolations.map((e) => `#   ${e}`).join('\n')}`);
    await browser?.close();
  });

  describe('the pages themselves', () => {
    const step = story();

    step('without a token the reset page shows the forgot-password form, styled by its own stylesheet', async () => {
      await open(`${BASE_URL}/account/reset-password`);
      // Both forms start hidden: the visible one was chosen by the page's script, so the script ran.
      await page.locator('#forgot').waitFor({ state: 'visible' });
      assert.equal(await page.locator('#email').getAttribute('type'), 'email');
      assert.equal(await page.locator('#reset').isVisible(), false, 'no new-password form without a token');
      const width = await page.locator('main').evaluate((main) => getComputedStyle(main).maxWidth);
      assert.notEqual(width, 'none', 'pages.css applied (it limits the width of main)');
    });

    step('the forgot form posts {email} to /password/forgot and shows an outcome', async () => {
      const address = `nobody_${suffix}@example.com`; // no account: still 202, no mail
      await page.locator('#email').fill(address);
      const sent = page.waitForRequest((r) => r.method() === 'POST' && new URL(r.url()).pathname === '/password/forgot');
      await page.locator('#forgot button[type="submit"]').click();
      const request = await sent;
      assert.deepEqual(request.postDataJSON(), { email: address });
      assert.match(request.headers()['content-type'] ?? '', /^application\/json/);
      await page.locator('#outcome[data-outcome="success"], #outcome[data-outcome="error"]').waitFor({ state: 'visible' });
    });

    step('with a token the reset page shows the new-password form and takes the token out of the address', async () => {
      await open(`${BASE_URL}/account/reset-password?token=not-a-real-token`);
      await page.locator('#reset').waitFor({ state: 'visible' });
      assert.equal(await page.locator('#reset input[type="password"]').count(), 2, 'the new password, twice');
      assert.equal(await page.locator('#forgot').isVisible(), false);
      assert.equal(new URL(page.url()).search, '', 'the token is gone from the address bar');
      assert.equal(new URL(page.url()).pathname, '/account/reset-password');
    });

    step('two different passwords are caught on the page, before any request', async () => {
      const posts = [];
      const watch = (r) => r.method() === 'POST' && posts.push(new URL(r.url()).pathname);
      page.on('request', watch);
      try {
        await page.locator('#new-password').fill(`one ${suffix} password here`);
        await page.locator('#repeat-password').fill(`another ${suffix} password`);
        await page.locator('#reset button[type="submit"]').click();
        assert.match(await outcome('error'), /not the same/);
      } finally {
        page.off('request', watch);
      }
      assert.deepEqual(posts, [], 'nothing was sent');
    });

    step('without a token the verify page says the link has none', async () => {
      await open(`${BASE_URL}/account/verify-email`);
      assert.match(await outcome('error'), /no token/i);
    });

    step('with a token the verify page posts {token} to /email/verify and takes the token out of the address', async () => {
      const sent = page.waitForRequest((r) => r.method() === 'POST' && new URL(r.url()).pathname === '/email/verify');
      await open(`${BASE_URL}/account/verify-email?token=not-a-real-token`);
      assert.deepEqual((await sent).postDataJSON(), { token: 'not-a-real-token' });
      assert.equal(new URL(page.url()).search, '', 'the token is gone from the address bar');
      await outcome('error'); // a made-up token is refused
    });
  });

  describe('a person verifies the address and resets the password by mail', () => {
    const step = story();

    step('register and log in through the API (a session from before the reset)', async () => {
      assert.ok(MAIL_DIR, 'MAIL_DIR names the server\'s mail pickup directory');
      const register = await api('POST', '/register', { json: user });
      assert.equal(register.status, 201, 'POST /register answers 201');
      const login = await api('POST', '/login', { json: { username: user.username, password: user.password } });
      assert.equal(login.status, 200, 'POST /login answers 200');
      sessionBeforeReset = sessionCookie(login);
      assert.equal((await api('GET', '/protected', { cookie: sessionBeforeReset })).status, 200);
    });

    step('the verification mail\'s link opens the verify page, which verifies the address', async () => {
      // Registration sent it: any mail in the pickup directory may be it.
      const mail = await waitForMail({ dir: MAIL_DIR, seen: new Set(), to: user.email, linkPath: '/account/verify-email', timeoutMs: TIMEOUT_MS });
      const verified = page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/email/verify');
      await open(mail.link); // exactly as written in the mail
      assert.equal((await verified).status(), 204, 'POST /email/verify answers 204');
      assert.match(await outcome('success'), /verified/i);
      assert.equal(new URL(await page.locator('#outcome a').evaluate((a) => a.href)).pathname, '/account', 'a link to the account page');
      assert.equal(new URL(page.url()).search, '', 'the token is gone from the address bar');
    });

    step('GET /me now shows the address as verified', async () => {
      const me = await api('GET', '/me', { cookie: sessionBeforeReset });
      assert.equal(me.status, 200);
      const body = await me.json();
      assert.equal(body.email, user.email);
      assert.equal(body.emailVerified, true, '"emailVerified": true');
    });

    let resetLink;

    step('the forgot form on the reset page asks for a mail: 202 and "a mail is on its way"', async () => {
      const before = await mailsNow();
      await open(`${BASE_URL}/account/reset-password`);
      await page.locator('#email').fill(user.email);
      const answered = page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/password/forgot');
      await page.locator('#forgot button[type="submit"]').click();
      assert.equal((await answered).status(), 202, 'POST /password/forgot answers 202');
      assert.match(await outcome('success'), /on its way/);
      assert.equal(await page.locator('#forgot').isVisible(), false, 'the form is done');

      const mail = await waitForMail({ dir: MAIL_DIR, seen: before, to: user.email, linkPath: '/account/reset-password', timeoutMs: TIMEOUT_MS });
      resetLink = mail.link;
      assert.ok(new URL(resetLink).searchParams.get('token'), 'the mailed link carries a token');
    });

    step('the mailed link opens the new-password form; a refused password shows why and leaves the form', async () => {
      await open(resetLink);
      await page.locator('#reset').waitFor({ state: 'visible' });
      assert.equal(new URL(page.url()).search, '', 'the token is gone from the address bar');
      // Too short for the password rules: refused by the request's validation, the token stays unused.
      await page.locator('#new-password').fill('short');
      await page.locator('#repeat-password').fill('short');
      const answered = page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/password/reset');
      await page.locator('#reset button[type="submit"]').click();
      assert.equal((await answered).status(), 400, 'POST /password/reset refuses the password');
      await outcome('error');
      assert.ok((await page.locator('#outcome li').count()) > 0, 'the reasons are listed');
      assert.equal(await page.locator('#reset').isVisible(), true, 'the form stays for another try');
    });

    step('setting an acceptable new password on the same page succeeds', async () => {
      await page.locator('#new-password').fill(newPassword);
      await page.locator('#repeat-password').fill(newPassword);
      const answered = page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/password/reset');
      await page.locator('#reset button[type="submit"]').click();
      const response = await answered;
      assert.equal(response.status(), 204, 'POST /password/reset answers 204');
      assert.equal(response.request().postDataJSON().newPassword, newPassword);
      assert.match(await outcome('success'), /password has been changed/);
      assert.equal(await page.locator('#outcome a').count(), 1, 'a link to log in');
      assert.equal(new URL(await page.locator('#outcome a').evaluate((a) => a.href)).pathname, '/account', 'on the account page');
      assert.equal(await page.locator('#reset').isVisible(), false);
      await screenshot('reset-done.png');
    });

    step('the new password logs in (200), the old one does not (401)', async () => {
      const fresh = await api('POST', '/login', { json: { username: user.username, password: newPassword } });
      assert.equal(fresh.status, 200, 'login with the new password');
      const old = await api('POST', '/login', { json: { username: user.username, password: user.password } });
      assert.equal(old.status, 401, 'login with the old password');
    });

    step('the session from before the reset is dead: GET /protected answers 401', async () => {
      assert.equal((await api('GET', '/protected', { cookie: sessionBeforeReset })).status, 401);
    });

    step('the used link no longer works: the page says so and offers a new mail', async () => {
      await open(resetLink);
      await page.locator('#new-password').fill(`${newPassword} again`);
      await page.locator('#repeat-password').fill(`${newPassword} again`);
      const answered = page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/password/reset');
      await page.locator('#reset button[type="submit"]').click();
      assert.equal((await answered).status(), 400, 'a used token is refused');
      await outcome('error');
      const again = page.locator('#outcome a');
      assert.equal(new URL(await again.evaluate((a) => a.href)).pathname, '/account/reset-password', 'a link to ask for a new mail');
    });
  });

  it('every page ran under its Content-Security-Policy without a violation or script error', () => {
    assert.deepEqual(cspViolations, [], 'no CSP violation was reported');
    assert.deepEqual(pageErrors, [], 'no uncaught script error');
  });
});
