// Two-factor authentication with an authenticator app: enrol (POST /me/2fa/totp with the password, show the QR code
// and the key, POST /me/2fa/totp/confirm with a code, show the recovery codes once), replace the recovery codes
// (POST /me/2fa/recovery-codes) and turn it off (DELETE /me/2fa); both take the password and a code.
import { call } from './api.js';
import { qrCodeFrom } from './qr.js';
import { changed, element, onPress, onSubmit, quiet, say, sayProblem } from './ui.js';

const off = document.getElementById('two-factor-off');
const on = document.getElementById('two-factor-on');
const startForm = document.getElementById('totp-start-form');
const enrolment = document.getElementById('totp-enrolment');
const confirmForm = document.getElementById('totp-confirm-form');
const recoveryForm = document.getElementById('recovery-codes-form');
const disableForm = document.getElementById('two-factor-disable-form');
const codesBox = document.getElementById('recovery-codes-box');

/** Wires the two-factor controls once. */
export function setUpTwoFactor() {
  onSubmit(startForm, startEnrolment);
  onSubmit(confirmForm, confirmEnrolment);
  onSubmit(recoveryForm, replaceRecoveryCodes);
  onSubmit(disableForm, turnOff);
  onPress(document.getElementById('recovery-codes-done'), async () => {
    hideRecoveryCodes();
    quiet(codesBox);
  });
}

/** Shows the part that fits the account: enrolment when 2FA is off, codes and turning off when on. */
export function showTwoFactor(me) {
  off.hidden = me.twoFactorEnabled;
  on.hidden = !me.twoFactorEnabled;
  if (me.twoFactorEnabled) resetEnrolment();
}

/** Forgets everything shown (on logging out): the key and the recovery codes must not stay in the page. */
export function forgetTwoFactor() {
  resetEnrolment();
  hideRecoveryCodes();
}

async function startEnrolment() {
  const password = document.getElementById('totp-start-password');
  const result = await call('POST', 'me/2fa/totp', { password: password.value });
  password.value = '';
  if (!result.ok) {
    sayProblem(startForm, result);
    return;
  }
  const qr = qrCodeFrom(result.data.qrCodeSvg ?? '');
  if (qr) {
    qr.setAttribute('role', 'img');
    qr.setAttribute('aria-label', 'QR code for your authenticator app');
  }
  document.getElementById('totp-qr').replaceChildren(...(qr ? [qr] : []));
  document.getElementById('totp-secret').textContent = result.data.secret;
  startForm.hidden = true;
  enrolment.hidden = false;
  quiet(startForm);
  document.getElementById('totp-confirm-code').focus();
}

async function confirmEnrolment() {
  const code = document.getElementById('totp-confirm-code');
  const result = await call('POST', 'me/2fa/totp/confirm', { code: code.value.replace(/\s+/g, '') });
  code.value = '';
  if (!result.ok) {
    sayProblem(confirmForm, result);
    return;
  }
  resetEnrolment();
  showRecoveryCodes(result.data.recoveryCodes);
  say(codesBox, 'success', 'Two-factor authentication is on.', { messages: ['Every other session of your account was logged out.'] });
  changed();
}

async function replaceRecoveryCodes() {
  const body = passwordAndCode('recovery-password', 'recovery-code');
  const result = await call('POST', 'me/2fa/recovery-codes', body);
  if (!result.ok) {
    sayProblem(recoveryForm, result);
    return;
  }
  showRecoveryCodes(result.data.recoveryCodes);
  say(codesBox, 'success', 'You have new recovery codes; the old ones no longer work.');
  changed();
}

async function turnOff() {
  const body = passwordAndCode('disable-password', 'disable-code');
  const result = await call('DELETE', 'me/2fa', body);
  if (!result.ok) {
    sayProblem(disableForm, result);
    return;
  }
  hideRecoveryCodes();
  say(disableForm, 'success', 'Two-factor authentication is off.', { messages: ['Every other session of your account was logged out.'] });
  changed();
}

// The fields are emptied once read: a code is single use, a password should not linger.
function passwordAndCode(passwordId, codeId) {
  const password = document.getElementById(passwordId);
  const code = document.getElementById(codeId);
  const body = { password: password.value, code: code.value.trim() };
  password.value = code.value = '';
  return body;
}

function showRecoveryCodes(codes) {
  document.getElementById('recovery-codes').replaceChildren(...codes.map((code) => element('li', {}, [element('code', { text: code })])));
  codesBox.hidden = false;
  codesBox.scrollIntoView({ block: 'nearest' });
}

function hideRecoveryCodes() {
  document.getElementById('recovery-codes').replaceChildren();
  codesBox.hidden = true;
}

function resetEnrolment() {
  document.getElementById('totp-qr').replaceChildren();
  document.getElementById('totp-secret').textContent = '';
  enrolment.hidden = true;
  startForm.hidden = false;
}
