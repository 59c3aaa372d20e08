// /account/reset-password: with ?token= from the mailed link, set a new password (POST /password/reset);
// without one, ask for that mail (POST /password/forgot).
import { postJson, problemOf, showOutcome, showUnreachable, takeToken, whileBusy } from './pages.js';

// SliceAuth's own account page logs in. An application with its own pages points Email:LinkBaseUrl at them, and
// these pages are not used.
const LOGIN_PAGE = '../account';

const token = takeToken(); // kept only in this module from here on
const forgotForm = document.getElementById('forgot');
const resetForm = document.getElementById('reset');

if (token) {
  resetForm.hidden = false;
  resetForm.addEventListener('submit', (event) => {
    event.preventDefault();
    whileBusy(resetForm, setNewPassword);
  });
} else {
  forgotForm.hidden = false;
  forgotForm.addEventListener('submit', (event) => {
    event.preventDefault();
    whileBusy(forgotForm, askForMail);
  });
}

async function askForMail() {
  const email = document.getElementById('email').value.trim();
  let response;
  try {
    response = await postJson('../password/forgot', { email });
  } catch {
    showUnreachable();
    return;
  }
  if (response.status === 202) {
    forgotForm.hidden = true;
    showOutcome('success', 'If an account has this address, a mail with a link is on its way.', {
      messages: ['The link works once and only for a short time. Nothing arrived? Look in the spam folder, or ask again later.'],
    });
    return;
  }
  const problem = await problemOf(response);
  showOutcome('error', problem.title, { messages: problem.messages });
}

async function setNewPassword() {
  const newPassword = document.getElementById('new-password');
  const repeat = document.getElementById('repeat-password');
  if (newPassword.value !== repeat.value) {
    showOutcome('error', 'The two passwords are not the same.', { messages: ['Type the new password twice, the same both times.'] });
    repeat.value = '';
    return;
  }

  let response;
  try {
    response = await postJson('../password/reset', { token, newPassword: newPassword.value });
  } catch {
    showUnreachable();
    return;
  }
  if (response.status === 204) {
    newPassword.value = repeat.value = '';
    resetForm.hidden = true;
    showOutcome('success', 'Your password has been changed.', {
      messages: ['Every session of your account has been logged out: log in again with the new password.'],
      link: { href: LOGIN_PAGE, text: 'Log in' },
    });
    return;
  }

  const problem = await problemOf(response);
  if (response.status === 400 && !problem.hasFieldErrors) {
    // The link itself is no good (wrong, used or expired): no password will help, a new mail will.
    newPassword.value = repeat.value = '';
    resetForm.hidden = true;
    showOutcome('error', problem.title, { messages: problem.messages, link: { href: 'reset-password', text: 'Mail me a new link' } });
    return;
  }
  // The password was refused (policy) or the server is busy: the form stays for another try.
  repeat.value = '';
  showOutcome('error', problem.title, { messages: problem.messages });
}
