// Drives the account page (/account) in Debian's headless Chromium the way a person with nothing but SliceAuth and a
// browser uses it, with a virtual passkey authenticator from the DevTools protocol (CTAP2, internal, resident keys,
// user verification):
//   - passkeys: register on the page, add a passkey, log out, log in with it, see the session, remove it; a passkey
//     login then fails and the page says why;
//   - password and TOTP: log in with the keyboard, revoke another session and every other, change the password,
//     turn on TOTP (codes computed here from the key the page shows, RFC 6238), log in with password and code,
//     replace the recovery codes, change the email address, turn TOTP off with a recovery code, delete the account;
//   - the layout at a phone's width (375 px) scrolls no way but down.
// Screenshots of each step go to ARTIFACTS_DIR (run.sh: tools/browser/artifacts/{litedb,postgres}/). The page must
// run without a CSP violation or script error.
//
// WebAuthn needs the page on the origin the server's Passkeys settings name: run.sh starts the server with
// Passkeys__RelyingPartyId=localhost and Passkeys__Origins__0=http://localhost:PORT and gives this file that origin as
// ACCOUNT_URL. By hand:
//   ACCOUNT_URL=http://localhost:5190 node --test tools/browser/account.test.mjs
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { apiAt } from './api.mjs';
import { openPage } from './chromium.mjs';
import { stepAt, totp } from './totp.mjs';

const ACCOUNT_URL = (process.env.ACCOUNT_URL ?? 'http://localhost:5190').replace(/\/+$/, '');
// run.sh names a folder per storage provider, so the CI stages of both keep their screenshots.
const ARTIFACTS = process.env.ARTIFACTS_DIR ?? join(dirname(fileURLToPath(import.meta.url)), 'artifacts');
const TIMEOUT_MS = Number(process.env.BROWSER_TIMEOUT_MS ?? 30_000);
const DESKTOP = { width: 1100, height: 900 };
const PHONE = { width: 375, height: 740 };

const PAGES_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; form-action 'none'; " +
  "frame-ancestors 'none'; base-uri 'none'";

const suffix = randomBytes(4).toString('hex');
const user = { username: `acct_${suffix}`, email: `acct_${suffix}@example.com`, password: `copper ${suffix} meadow` };
const newPassword = `saffron ${suffix} quarry lantern`;

let browser;
let context;
let page;
let cdp;
let authenticatorId;
const pageErrors = [];
const cspViolations = [];
let shot = 0;

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
        await screenshot(`failed-${name}`).catch(() => {});
        throw err;
      }
    });
}

async function screenshot(name) {
  mkdirSync(ARTIFACTS, { recursive: true });
  shot += 1;
  const file = `account-${String(shot).padStart(2, '0')}-${name.replace(/[^a-z0-9]+/gi, '-').toLowerCase().slice(0, 60)}.png`;
  await page.screenshot({ path: join(ARTIFACTS, file), fullPage: true });
}

/** The API itself, as a client that is not a browser (another device of the same person). */
const api = apiAt(ACCOUNT_URL, TIMEOUT_MS);

/** A login through the API: the session cookie ("name=value") of a new session. */
async function otherSession(password) {
  const login = await api('POST', '/login', { json: { username: user.username, password } });
  assert.equal(login.status, 200, 'POST /login from another client answers 200');
  const cookie = login.headers.getSetCookie().find((c) => /^(__Host-)?sliceauth=/.test(c));
  assert.ok(cookie, 'the login sets the session cookie');
  return cookie.split(';')[0];
}

/** Asserts the answer's status; on a mismatch the message carries the body (the problem says why). */
async function expectStatus(response, status, request) {
  if (response.status() === status) return;
  const body = await response.text().catch(() => '');
  assert.fail(`${request} answered ${response.status()}, not ${status}: ${body}`);
}

/** The outcome box of a section once it shows `kind`, with its text. */
async function outcome(section, kind) {
  const box = page.locator(`#${section} .outcome[data-outcome="${kind}"]`);
  await box.waitFor({ state: 'visible' });
  return box.innerText();
}

async function signedIn() {
  await page.locator('#signed-in').waitFor({ state: 'visible' });
  await page.locator('#me-username', { hasText: user.username }).waitFor();
}

async function signedOut() {
  await page.locator('#signed-out').waitFor({ state: 'visible' });
  assert.equal(await page.locator('#signed-in').isVisible(), false);
}

/** Waits for the answer to the page's request `method path` (a path or a RegExp) while `action` runs; returns the response. */
async function answerTo(method, path, action) {
  const matches = (pathname) => (path instanceof RegExp ? path.test(pathname) : pathname === path);
  const answered = page.waitForResponse((r) => r.request().method() === method && matches(new URL(r.url()).pathname));
  await action();
  return answered;
}

/** Nothing wider than the window: the page scrolls only down. */
async function assertNoSidewaysScroll(what) {
  const { scrollWidth, clientWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    clientWidth: document.documentElement.clientWidth,
  }));
  assert.ok(scrollWidth <= clientWidth, `${what}: the page is ${scrollWidth}px wide in a ${clientWidth}px window`);
}

async function credentialsOnAuthenticator() {
  return (await cdp.send('WebAuthn.getCredentials', { authenticatorId })).credentials;
}

describe('the account page in headless Chromium with a virtual passkey authenticator', () => {
  before(async () => {
    ({ browser, context, page } = await openPage({ viewport: DESKTOP, timeoutMs: TIMEOUT_MS, pageErrors, cspViolations }));
    cdp = await context.newCDPSession(page);
    await cdp.send('WebAuthn.enable', { enableUI: false });
    ({ authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true },
    }));
  });

  after(async () => {
    if (pageErrors.length) console.log(`# page errors:\n${pageErrors.map((e) => `#   ${e}`).join('\n')}`);
    if (cspViolations.length) console.log(`# CSP violations:\n${cspViolations.map((e) => `#   ${e}`).join('\n')}`);
    await browser?.close();
  });

  it('the test computes TOTP codes as RFC 6238 does (its SHA-1 test vector)', () => {
    // RFC 6238 appendix B: the ASCII secret "12345678901234567890", T = 59 s gives 94287082 (8 digits).
    assert.equal(totp('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ', stepAt(59_000)), '287082');
    assert.equal(totp('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ', stepAt(1_111_111_109_000)), '081804');
  });

  describe('a person registers, adds a passkey and logs in with it', () => {
    const step = story();

    step('/account answers HTML under the pages\' CSP and shows the log-in and register forms', async () => {
      const response = await page.goto(`${ACCOUNT_URL}/account`);
      assert.equal(response?.status(), 200);
      assert.equal(response.headers()['content-security-policy'], PAGES_POLICY);
      assert.match(response.headers()['content-type'] ?? '', /^text\/html/);
      await signedOut();
      assert.equal(await page.locator('#register-form').isVisible(), true);
      assert.equal(await page.locator('#loading').isVisible(), false, 'the script ran and asked GET /me');
      await screenshot('signed-out');
    });

    step('at 375 px the signed-out page has no sideways scroll', async () => {
      await page.setViewportSize(PHONE);
      await assertNoSidewaysScroll('signed out at 375 px');
      await screenshot('signed-out-375px');
      await page.setViewportSize(DESKTOP);
    });

    step('register: the account is created and the page logs in', async () => {
      await page.locator('#register-username').fill(user.username);
      await page.locator('#register-email').fill(user.email);
      await page.locator('#register-password').fill(user.password);
      const response = await answerTo('POST', '/register', () => page.locator('#register-form button[type="submit"]').click());
      assert.equal(response.status(), 201);
      await signedIn();
      assert.equal(await page.locator('#me-email').innerText(), user.email);
      assert.match(await page.locator('#me-email-verified').innerText(), /not verified/);
      assert.equal(await page.locator('#resend-verification').isVisible(), true, 'a new verification link can be asked for');
      assert.match(await page.locator('#me-two-factor').innerText(), /^Off/);
      await page.locator('#sessions li.current').waitFor(); // the list loads after /me
      assert.equal(await page.locator('#sessions li').count(), 1);
      await screenshot('registered');
    });

    step('resend verification: the page says a link is on its way', async () => {
      const response = await answerTo('POST', '/me/email/verification', () => page.locator('#resend-verification').click());
      assert.equal(response.status(), 202);
      assert.match(await outcome('profile-section', 'success'), /on its way/);
    });

    step('add a passkey named "test laptop": it is listed and the authenticator holds it', async () => {
      assert.equal(await page.locator('#no-passkeys').isVisible(), true);
      await page.locator('#passkey-name').fill('test laptop');
      const response = await answerTo('POST', '/me/passkeys', () => page.locator('#passkey-add-form button[type="submit"]').click());
      await expectStatus(response, 201, 'POST /me/passkeys');
      assert.match(await outcome('passkeys-section', 'success'), /test laptop/);
      await page.locator('#passkeys li', { hasText: 'test laptop' }).waitFor();
      assert.equal(await page.locator('#passkeys li').count(), 1);
      assert.match(await page.locator('#passkeys li').innerText(), /never used/);
      const credentials = await credentialsOnAuthenticator();
      assert.equal(credentials.length, 1, 'one credential on the virtual authenticator');
      assert.equal(credentials[0].isResidentCredential, true, 'a discoverable credential (no username needed to log in)');
      await screenshot('passkey-added');
    });

    step('log out: the page is signed out and GET /me says so', async () => {
      const response = await answerTo('POST', '/logout', () => page.locator('#logout').click());
      assert.equal(response.status(), 204);
      await signedOut();
      assert.match(await outcome('login-section', 'success'), /logged out/i);
      await page.reload();
      await signedOut();
    });

    step('log in with the passkey (no username typed): signed in, one session, the passkey marked used', async () => {
      const response = await answerTo('POST', '/login/passkey', () => page.locator('#passkey-login').click());
      await expectStatus(response, 200, 'POST /login/passkey');
      await signedIn();
      await page.locator('#sessions li.current', { hasText: 'This session' }).waitFor();
      assert.equal(await page.locator('#sessions li').count(), 1);
      await page.locator('#passkeys li', { hasText: 'last used' }).waitFor();
      await screenshot('passkey-login');
    });

    step('remove the passkey: the list is empty', async () => {
      const response = await answerTo('DELETE', /^\/me\/passkeys\/[^/]+$/, () => page.locator('#passkeys li button', { hasText: 'Remove' }).click());
      assert.equal(response.status(), 204);
      await page.locator('#no-passkeys').waitFor({ state: 'visible' });
      assert.equal(await page.locator('#passkeys li').count(), 0);
      assert.match(await outcome('passkeys-section', 'success'), /removed/);
      await screenshot('passkey-removed');
    });

    step('after logging out, a login with the removed passkey is refused and the page says why', async () => {
      await page.locator('#logout').click();
      await signedOut();
      assert.equal((await credentialsOnAuthenticator()).length, 1, 'the authenticator still offers the credential');
      const response = await answerTo('POST', '/login/passkey', () => page.locator('#passkey-login').click());
      assert.equal(response.status(), 401);
      const problem = await response.json();
      const shown = await outcome('login-section', 'error');
      assert.ok(shown.includes(problem.title), `the page shows the problem's title "${problem.title}" (shows "${shown}")`);
      await signedOut();
      await screenshot('passkey-login-refused');
    });
  });

  describe('the same person uses the password, sessions and TOTP, then deletes the account', () => {
    const step = story();
    let secret;
    let confirmedStep;
    let recoveryCodes;

    step('the page starts signed out (whatever the story before left)', async () => {
      await page.goto(`${ACCOUNT_URL}/account`);
      await page.locator('#loading').waitFor({ state: 'hidden' }); // GET /me answered: one of the views shows
      if (await page.locator('#signed-in').isVisible()) await page.locator('#logout').click();
      await signedOut();
    });

    step('a wrong password is refused in words', async () => {
      await page.locator('#login-username').fill(user.username);
      await page.locator('#login-password').fill(`${user.password} wrong`);
      const response = await answerTo('POST', '/login', () => page.locator('#login-form button[type="submit"]').click());
      assert.equal(response.status(), 401);
      assert.match(await outcome('login-section', 'error'), /Invalid username or password/);
      assert.equal(await page.locator('#login-password').inputValue(), '', 'the password field is emptied');
    });

    step('log in with the keyboard only: type, Tab, type, Enter', async () => {
      await page.locator('#login-username').fill('');
      await page.locator('#login-username').focus();
      await page.keyboard.type(user.username);
      await page.keyboard.press('Tab');
      assert.equal(await page.evaluate(() => document.activeElement?.id), 'login-password', 'Tab moves to the password');
      await page.keyboard.type(user.password);
      const response = await answerTo('POST', '/login', () => page.keyboard.press('Enter'));
      assert.equal(response.status(), 200);
      await signedIn();
      assert.equal(await page.evaluate(() => document.activeElement?.id), 'profile-heading', 'the focus moves to the new view');
    });

    step('another session appears in the list and "Log out" on it ends it', async () => {
      const other = await otherSession(user.password);
      await page.reload();
      await signedIn();
      await page.locator('#sessions li').nth(1).waitFor();
      assert.equal(await page.locator('#sessions li').count(), 2);
      assert.equal(await page.locator('#sessions li.current').count(), 1);
      await screenshot('two-sessions');
      const response = await answerTo('DELETE', /^\/me\/sessions\/[^/]+$/, () => page.locator('#sessions li:not(.current) button').click());
      assert.equal(response.status(), 204);
      assert.match(await outcome('sessions-section', 'success'), /logged out/);
      await page.waitForFunction(() => document.querySelectorAll('#sessions li').length === 1);
      assert.equal((await api('GET', '/protected', { cookie: other })).status, 401, 'the other session is dead');
    });

    step('"Log out every other session" ends the others and keeps this one', async () => {
      const first = await otherSession(user.password);
      const second = await otherSession(user.password);
      await page.reload();
      await signedIn();
      await page.waitForFunction(() => document.querySelectorAll('#sessions li').length === 3);
      const response = await answerTo('DELETE', '/me/sessions', () => page.locator('#revoke-others').click());
      assert.equal(response.status(), 204);
      await page.waitForFunction(() => document.querySelectorAll('#sessions li').length === 1);
      assert.equal((await api('GET', '/protected', { cookie: first })).status, 401);
      assert.equal((await api('GET', '/protected', { cookie: second })).status, 401);
      assert.equal(await page.locator('#sessions li.current').count(), 1, 'this session stays');
    });

    step('change the password: a wrong current one is refused with the field\'s message, the right one works', async () => {
      await page.locator('#current-password').fill('not my password at all');
      await page.locator('#new-password').fill(newPassword);
      let response = await answerTo('POST', '/me/password', () => page.locator('#password-form button[type="submit"]').click());
      assert.equal(response.status(), 400);
      const problem = await response.json();
      const shown = await outcome('password-section', 'error');
      assert.ok(shown.includes(problem.title), 'the problem\'s title is shown');
      assert.ok((await page.locator('#password-section .outcome li').count()) > 0, 'the field messages are listed');

      await page.locator('#current-password').fill(user.password);
      await page.locator('#new-password').fill(newPassword);
      response = await answerTo('POST', '/me/password', () => page.locator('#password-form button[type="submit"]').click());
      assert.equal(response.status(), 204);
      assert.match(await outcome('password-section', 'success'), /changed/);
      assert.equal((await api('POST', '/login', { json: { username: user.username, password: user.password } })).status, 401);
      await signedIn(); // the page's session got the new cookie
      await page.reload();
      await signedIn();
    });

    step('turn on TOTP: the QR code and the key are shown, a code from them turns it on, ten recovery codes appear once', async () => {
      await page.locator('#totp-start-password').fill(newPassword);
      const started = await answerTo('POST', '/me/2fa/totp', () => page.locator('#totp-start-form button[type="submit"]').click());
      await expectStatus(started, 200, 'POST /me/2fa/totp');
      await page.locator('#totp-enrolment').waitFor({ state: 'visible' });
      secret = (await page.locator('#totp-secret').innerText()).trim();
      assert.match(secret, /^[A-Z2-7]+=*$/, 'a base32 key is shown');
      assert.equal(secret, (await started.json()).secret, 'the key shown is the one the API answered');

      const qr = page.locator('#totp-qr svg');
      await qr.waitFor({ state: 'visible' });
      const drawing = await qr.evaluate((svg) => ({
        shapes: svg.querySelectorAll('rect, path').length,
        other: [...svg.querySelectorAll('*')].filter((e) => !['g', 'rect', 'path'].includes(e.localName)).length,
        handlers: [...svg.querySelectorAll('*'), svg].flatMap((e) => [...e.attributes].map((a) => a.name)).filter((n) => n.startsWith('on')).length,
        width: svg.getBoundingClientRect().width,
      }));
      assert.ok(drawing.shapes > 0, 'the QR code is drawn');
      assert.equal(drawing.other, 0, 'only drawing elements were copied');
      assert.equal(drawing.handlers, 0, 'no event handler attributes');
      assert.ok(drawing.width >= 100, `the QR code is big enough to scan (${drawing.width}px)`);
      await screenshot('totp-qr');

      confirmedStep = stepAt();
      await page.locator('#totp-confirm-code').fill(totp(secret, confirmedStep));
      const confirmed = await answerTo('POST', '/me/2fa/totp/confirm', () => page.locator('#totp-confirm-form button[type="submit"]').click());
      await expectStatus(confirmed, 200, 'POST /me/2fa/totp/confirm');
      await page.locator('#recovery-codes-box').waitFor({ state: 'visible' });
      recoveryCodes = await page.locator('#recovery-codes li').allInnerTexts();
      assert.equal(recoveryCodes.length, 10);
      assert.deepEqual(recoveryCodes, (await confirmed.json()).recoveryCodes);
      await page.locator('#me-two-factor', { hasText: '10 recovery codes left' }).waitFor();
      assert.equal(await page.locator('#two-factor-on').isVisible(), true);
      assert.equal(await page.locator('#totp-secret').innerText(), '', 'the key is gone from the page');
      await screenshot('totp-on');
    });

    step('at 375 px the signed-in page (recovery codes, sessions, forms) has no sideways scroll', async () => {
      await page.setViewportSize(PHONE);
      await assertNoSidewaysScroll('signed in at 375 px');
      await screenshot('signed-in-375px');
      await page.setViewportSize(DESKTOP);
      await page.locator('#recovery-codes-done').click();
      assert.equal(await page.locator('#recovery-codes-box').isVisible(), false);
      assert.equal(await page.locator('#recovery-codes li').count(), 0, 'the codes are gone from the page');
    });

    step('log out, log in with the password: the page asks for the code; a wrong one is refused, the next one works', async () => {
      await page.locator('#logout').click();
      await signedOut();
      await page.locator('#login-username').fill(user.username);
      await page.locator('#login-password').fill(newPassword);
      const first = await answerTo('POST', '/login', () => page.locator('#login-form button[type="submit"]').click());
      assert.equal(first.status(), 200);
      assert.deepEqual((await first.json()).twoFactorRequired, true);
      await page.locator('#second-factor-form').waitFor({ state: 'visible' });
      assert.equal(await page.locator('#login-form').isVisible(), false);
      assert.equal(await page.evaluate(() => document.activeElement?.id), 'second-factor-code', 'the code field has the focus');
      await screenshot('totp-step');

      const wrong = String((Number(totp(secret, stepAt())) + 1) % 1_000_000).padStart(6, '0');
      await page.locator('#second-factor-code').fill(wrong);
      let response = await answerTo('POST', '/login/2fa', () => page.locator('#second-factor-form button[type="submit"]').click());
      assert.equal(response.status(), 401);
      await outcome('login-section', 'error');
      await signedOut();

      // The confirmation used its step's code, which is never accepted again: the next step's (one step of skew is allowed).
      await page.locator('#second-factor-code').fill(totp(secret, confirmedStep + 1));
      response = await answerTo('POST', '/login/2fa', () => page.locator('#second-factor-form button[type="submit"]').click());
      await expectStatus(response, 200, 'POST /login/2fa');
      await signedIn();
      assert.match(await page.locator('#me-two-factor').innerText(), /^On/);
    });

    step('replace the recovery codes with the password and a recovery code: ten new ones are shown', async () => {
      await page.locator('#recovery-password').fill(newPassword);
      await page.locator('#recovery-code').fill(recoveryCodes[0]);
      const response = await answerTo('POST', '/me/2fa/recovery-codes', () => page.locator('#recovery-codes-form button[type="submit"]').click());
      await expectStatus(response, 200, 'POST /me/2fa/recovery-codes');
      await page.locator('#recovery-codes-box').waitFor({ state: 'visible' });
      const fresh = await page.locator('#recovery-codes li').allInnerTexts();
      assert.equal(fresh.length, 10);
      assert.deepEqual(fresh, (await response.json()).recoveryCodes);
      assert.equal(fresh.filter((code) => recoveryCodes.includes(code)).length, 0, 'all new');
      assert.match(await outcome('two-factor-section', 'success'), /new recovery codes/);
      recoveryCodes = fresh;
      await page.locator('#recovery-codes-done').click();
    });

    step('change the email address: a confirmation link goes to the new one', async () => {
      await page.locator('#new-email').fill(`new_${user.email}`);
      await page.locator('#email-password').fill(newPassword);
      const response = await answerTo('POST', '/me/email', () => page.locator('#email-form button[type="submit"]').click());
      await expectStatus(response, 202, 'POST /me/email');
      assert.match(await outcome('email-section', 'success'), new RegExp(`on its way to new_${user.email}`));
      assert.equal(await page.locator('#email-password').inputValue(), '');
    });

    step('turn TOTP off with the password and a recovery code', async () => {
      await page.locator('#disable-password').fill(newPassword);
      await page.locator('#disable-code').fill(recoveryCodes[0]);
      const response = await answerTo('DELETE', '/me/2fa', () => page.locator('#two-factor-disable-form button[type="submit"]').click());
      await expectStatus(response, 204, 'DELETE /me/2fa');
      assert.match(await outcome('two-factor-section', 'success'), /off/);
      await page.locator('#me-two-factor', { hasText: 'Off' }).waitFor();
      assert.equal(await page.locator('#totp-start-form').isVisible(), true, 'it can be turned on again');
      await screenshot('totp-off');
    });

    step('delete the account: a wrong password is refused, the right one deletes it and the page is signed out', async () => {
      await page.locator('#delete-password').fill('not my password at all');
      await page.locator('#delete-confirm').check();
      let response = await answerTo('DELETE', '/me', () => page.locator('#delete-form button[type="submit"]').click());
      assert.equal(response.status(), 400);
      await outcome('delete-section', 'error');
      await signedIn();

      await page.locator('#delete-password').fill(newPassword);
      response = await answerTo('DELETE', '/me', () => page.locator('#delete-form button[type="submit"]').click());
      assert.equal(response.status(), 204);
      await signedOut();
      assert.match(await outcome('login-section', 'success'), /deleted/);
      assert.equal((await api('POST', '/login', { json: { username: user.username, password: newPassword } })).status, 401);
      await screenshot('deleted');
    });
  });

  it('qr.js copies only the drawing of an SVG: no script, handler, link, style or foreign content', async () => {
    await page.goto(`${ACCOUNT_URL}/account`);
    const reportedBefore = cspViolations.length;
    const copied = await page.evaluate(async () => {
      const { qrCodeFrom } = await import('./account/qr.js');
      const hostile = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="10" height="10" onload="window.pwned=1" style="x">' +
        '<script>window.pwned=2</script><rect x="0" y="0" width="10" height="10" fill="#fff" onclick="window.pwned=3"/>' +
        '<a href="javascript:window.pwned=4"><path d="M0 0h1v1H0z"/></a><image href="https://example.com/x.png"/>' +
        '<foreignObject><div xmlns="http://www.w3.org/1999/xhtml">x</div></foreignObject>' +
        '<path d="M1 1h1v1H1z" fill="url(https://example.com/#p)" style="fill:red"/><g><rect width="1" height="1"/></g></svg>';
      const svg = qrCodeFrom(hostile);
      return {
        markup: new XMLSerializer().serializeToString(svg),
        elements: [...svg.querySelectorAll('*')].map((e) => e.localName),
        pwned: window.pwned ?? null,
        broken: qrCodeFrom('<html>not svg</html>'),
      };
    });
    assert.deepEqual(copied.elements, ['rect', 'path', 'g', 'rect'], 'the drawing elements, nothing else');
    assert.doesNotMatch(copied.markup, /onload|onclick|script|href|style|url\(|foreignObject|image/i);
    assert.match(copied.markup, /viewBox="0 0 10 10"/, 'a viewBox, so the page can scale it');
    assert.equal(copied.pwned, null, 'nothing ran');
    assert.equal(copied.broken, null, 'text that is not SVG gives no drawing');
    // Parsing the hostile text makes Chromium weigh its handler and style attributes against the page's CSP, which
    // blocks them (DOMParser's document would not run them anyway): reported, blocked, and not the page's own doing.
    const reported = cspViolations.splice(reportedBefore);
    assert.ok(reported.every((message) => /blocked/i.test(message)), `only blocked attempts: ${reported.join(' | ')}`);
  });

  it('the page ran under its Content-Security-Policy without a violation or script error', () => {
    assert.deepEqual(cspViolations, [], 'no CSP violation was reported');
    assert.deepEqual(pageErrors, [], 'no uncaught script error');
  });
});
