// /account/verify-email?token=: verifies the address the mail was sent to (POST /email/verify) as soon as it opens.
import { postJson, problemOf, showOutcome, showUnreachable, takeToken } from './pages.js';

const token = takeToken();

if (token) {
  verify();
} else {
  showOutcome('error', 'This link has no token.', { messages: ['Open the link exactly as it is in the mail.'] });
}

async function verify() {
  showOutcome('pending', 'Verifying your email address…');
  let response;
  try {
    response = await postJson('../email/verify', { token });
  } catch {
    showUnreachable();
    return;
  }
  if (response.status === 204) {
    showOutcome('success', 'Your email address is verified.', {
      messages: ['You can close this page.'],
      link: { href: '../account', text: 'Go to your account' },
    });
    return;
  }
  // 400: the link is wrong, used or expired; 409: the address was taken by another account meanwhile.
  const problem = await problemOf(response);
  showOutcome('error', problem.title, { messages: problem.messages });
}
