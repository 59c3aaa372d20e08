// /account: a person's own account, through SliceAuth's public API only. Signed out: log in (password, then the
// second factor when the account has one; or a passkey) or register. Signed in: who they are, sessions, passkeys,
// two-factor authentication, email, password, log out, delete. Each section's outcome shows in words what the API
// answered (see api.js, ui.js); the other sections live in sessions.js, passkeys.js and totp.js.
import { call } from './api.js';
import { setUpPasskeys, showPasskeys } from './passkeys.js';
import { setUpSessions, showSessions } from './sessions.js';
import { forgetTwoFactor, setUpTwoFactor, showTwoFactor } from './totp.js';
import { changed, onPress, onSubmit, quiet, say, sayProblem, when } from './ui.js';

const signedOut = document.getElementById('signed-out');
const signedIn = document.getElementById('signed-in');
const loginForm = document.getElementById('login-form');
const secondFactorForm = document.getElementById('second-factor-form');
const registerForm = document.getElementById('register-form');
const profile = document.getElementById('profile');

onSubmit(loginForm, logIn);
onSubmit(secondFactorForm, sendSecondFactor);
onPress(document.getElementById('second-factor-cancel'), async () => showPasswordStep());
onSubmit(registerForm, register);
onPress(document.getElementById('resend-verification'), resendVerification);
onPress(document.getElementById('logout'), logOut);
onSubmit(document.getElementById('email-form'), changeEmail);
onSubmit(document.getElementById('password-form'), changePassword);
onSubmit(document.getElementById('delete-form'), deleteAccount);
setUpSessions();
setUpPasskeys();
setUpTwoFactor();
document.addEventListener('account-changed', () => refresh());
refresh();

/** Asks who is logged in (GET /me) and shows the matching view. */
async function refresh() {
  const me = await call('GET', 'me');
  const loading = document.getElementById('loading');
  firstView = !loading.hidden;
  loading.hidden = true;
  if (me.status === 401) {
    showSignedOut();
    return;
  }
  if (!me.ok) {
    showSignedOut();
    sayProblem(loginForm, me);
    return;
  }
  const wasSignedOut = signedIn.hidden;
  signedOut.hidden = true;
  signedIn.hidden = false;
  if (wasSignedOut) {
    forgetForms(signedOut);
    showPasswordStep();
    moveFocus('profile-heading');
  }
  showMe(me.data);
  showTwoFactor(me.data);
  await Promise.all([showSessions(), showPasskeys()]);
}

function showSignedOut() {
  if (!signedIn.hidden) {
    forgetForms(signedIn);
    moveFocus('login-heading');
  }
  forgetTwoFactor();
  signedIn.hidden = true;
  signedOut.hidden = false;
}

// The control that was used is hidden with its view: a keyboard user continues from the new view's heading. Not on
// the page's first view, where the focus is still where the browser put it.
let firstView = true;
function moveFocus(headingId) {
  if (firstView) return;
  queueMicrotask(() => document.getElementById(headingId).focus());
}

function showMe(me) {
  document.getElementById('me-username').textContent = me.username;
  document.getElementById('me-email').textContent = me.email;
  document.getElementById('me-email-verified').textContent = me.emailVerified ? 'verified' : 'not verified';
  document.getElementById('me-email-verified').dataset.verified = String(me.emailVerified);
  document.getElementById('me-created').textContent = when(me.createdAt);
  const left = me.recoveryCodesLeft;
  document.getElementById('me-two-factor').textContent = me.twoFactorEnabled
    ? `On (authenticator app); ${left === 1 ? '1 recovery code' : `${left} recovery codes`} left`
    : 'Off';
  document.getElementById('resend-verification').hidden = me.emailVerified;
}

async function logIn() {
  const username = document.getElementById('login-username').value.trim();
  const password = document.getElementById('login-password');
  const result = await call('POST', 'login', { username, password: password.value });
  password.value = '';
  if (!result.ok) {
    sayProblem(loginForm, result);
    return;
  }
  if (result.data?.twoFactorRequired) {
    // The password was right; the server holds the pending login (its own cookie) until the code comes.
    loginForm.hidden = true;
    secondFactorForm.hidden = false;
    quiet(loginForm);
    document.getElementById('second-factor-code').focus();
    return;
  }
  changed();
}

async function sendSecondFactor() {
  const input = document.getElementById('second-factor-code');
  const typed = input.value.replace(/\s+/g, '');
  input.value = '';
  // Six digits are a code from the app; anything else is taken for a recovery code (groups of four, dashes or not).
  const body = /^\d{6}$/.test(typed) ? { code: typed } : { recoveryCode: typed };
  const result = await call('POST', 'login/2fa', body);
  if (!result.ok) {
    sayProblem(secondFactorForm, result);
    return;
  }
  changed();
}

function showPasswordStep() {
  secondFactorForm.hidden = true;
  loginForm.hidden = false;
  quiet(loginForm);
}

async function register() {
  const username = document.getElementById('register-username').value.trim();
  const email = document.getElementById('register-email').value.trim();
  const password = document.getElementById('register-password');
  const result = await call('POST', 'register', { username, email, password: password.value });
  if (!result.ok) {
    sayProblem(registerForm, result);
    return;
  }
  // Registering does not log in; do it for the person with what they just typed.
  const login = await call('POST', 'login', { username, password: password.value });
  password.value = '';
  if (!login.ok) {
    say(registerForm, 'success', 'Your account was created.', { messages: ['Log in above. ' + login.problem.title, ...login.problem.messages] });
    return;
  }
  registerForm.reset();
  changed();
}

async function resendVerification() {
  const result = await call('POST', 'me/email/verification');
  if (!result.ok) {
    sayProblem(profile, result);
    return;
  }
  say(profile, 'success', 'A verification link is on its way to your address.', { messages: ['Open it to verify the address.'] });
}

async function logOut() {
  const result = await call('POST', 'logout');
  if (!result.ok) {
    sayProblem(profile, result);
    return;
  }
  showSignedOut();
  say(loginForm, 'success', 'You are logged out.');
}

async function changeEmail() {
  const form = document.getElementById('email-form');
  const newEmail = document.getElementById('new-email').value.trim();
  const password = document.getElementById('email-password');
  const result = await call('POST', 'me/email', { password: password.value, newEmail });
  password.value = '';
  if (!result.ok) {
    sayProblem(form, result);
    return;
  }
  form.reset();
  say(form, 'success', `A confirmation link is on its way to ${newEmail}.`, {
    messages: ['Your address changes when you open it; until then the current one stays.'],
  });
}

async function changePassword() {
  const form = document.getElementById('password-form');
  const current = document.getElementById('current-password');
  const next = document.getElementById('new-password');
  const result = await call('POST', 'me/password', { currentPassword: current.value, newPassword: next.value });
  current.value = '';
  if (!result.ok) {
    sayProblem(form, result);
    return;
  }
  next.value = '';
  say(form, 'success', 'Your password was changed.', { messages: ['Every other session of your account was logged out.'] });
  await showSessions();
}

async function deleteAccount() {
  const form = document.getElementById('delete-form');
  const password = document.getElementById('delete-password');
  const result = await call('DELETE', 'me', { password: password.value });
  password.value = '';
  if (!result.ok) {
    sayProblem(form, result);
    return;
  }
  showSignedOut();
  say(loginForm, 'success', 'Your account was deleted.');
}

// Empties the inputs, lists and outcomes of a view being left, so nothing typed or shown lingers for the next person.
function forgetForms(view) {
  for (const form of view.querySelectorAll('form')) form.reset();
  for (const list of view.querySelectorAll('.items')) list.replaceChildren();
  for (const box of view.querySelectorAll('.outcome')) quiet(box);
}
