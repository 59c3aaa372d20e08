// Sessions: where the account is logged in (GET /me/sessions), revoking one (DELETE /me/sessions/{id}) or every
// other (DELETE /me/sessions).
import { call } from './api.js';
import { element, onPress, say, sayProblem, when } from './ui.js';

const list = document.getElementById('sessions');
const revokeOthers = document.getElementById('revoke-others');

/** Wires the session controls once. */
export function setUpSessions() {
  onPress(revokeOthers, async () => {
    const result = await call('DELETE', 'me/sessions');
    if (!result.ok) {
      sayProblem(list, result);
      return;
    }
    say(list, 'success', 'Every other session was logged out.');
    await showSessions();
  });
}

/** Shows the account's live sessions, this one first. */
export async function showSessions() {
  const result = await call('GET', 'me/sessions');
  if (!result.ok) {
    sayProblem(list, result);
    return;
  }
  const sessions = [...result.data].sort((a, b) => Number(b.current) - Number(a.current));
  list.replaceChildren(...sessions.map(item));
  revokeOthers.disabled = sessions.length < 2;
}

function item(session) {
  const where = [session.userAgent || 'Unknown browser', session.ipAddress].filter(Boolean).join(' · ');
  const children = [
    element('span', { text: session.current ? 'This session' : where, className: 'item-title' }),
    element('span', { text: `Logged in ${when(session.createdAt)}, last seen ${when(session.lastSeenAt)}`, className: 'item-detail' }),
  ];
  if (session.current) {
    children.splice(1, 0, element('span', { text: where, className: 'item-detail' }));
  } else {
    const revoke = element('button', { text: 'Log out', attributes: { type: 'button', 'aria-label': `Log out the session from ${where}` } });
    onPress(revoke, () => revokeOne(session));
    children.push(revoke);
  }
  return element('li', { className: session.current ? 'current' : undefined, attributes: { 'data-session-id': session.id } }, children);
}

async function revokeOne(session) {
  const result = await call('DELETE', `me/sessions/${encodeURIComponent(session.id)}`);
  if (!result.ok && result.status !== 404) {
    sayProblem(list, result);
    return;
  }
  // 404: it had ended already; either way it is gone from the list.
  say(list, 'success', 'That session was logged out.');
  await showSessions();
}
