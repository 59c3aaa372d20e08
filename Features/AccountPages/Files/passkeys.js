// Passkeys: the account's list (GET /me/passkeys), adding one (POST /me/passkeys/options, the browser creates it,
// POST /me/passkeys), removing one (DELETE /me/passkeys/{id}), and logging in with one (POST /login/passkey/options,
// the browser signs, POST /login/passkey).
import { call } from './api.js';
import { changed, element, onPress, onSubmit, say, sayProblem, when } from './ui.js';
import { assertionJson, attestationJson, ceremonyError, creationOptions, passkeysSupported, requestOptions } from './webauthn.js';

const list = document.getElementById('passkeys');
const none = document.getElementById('no-passkeys');
const addForm = document.getElementById('passkey-add-form');
const loginButton = document.getElementById('passkey-login');

/** Wires the passkey controls once. */
export function setUpPasskeys() {
  onSubmit(addForm, addPasskey);
  onPress(loginButton, logInWithPasskey);
}

/** Shows the account's passkeys. */
export async function showPasskeys() {
  const result = await call('GET', 'me/passkeys');
  if (!result.ok) {
    sayProblem(list, result);
    return;
  }
  list.replaceChildren(...result.data.map(item));
  none.hidden = result.data.length > 0;
}

function item(passkey) {
  const remove = element('button', { text: 'Remove', attributes: { type: 'button', 'aria-label': `Remove the passkey ${passkey.name}` } });
  onPress(remove, () => removePasskey(passkey));
  const used = passkey.lastUsedAt ? `last used ${when(passkey.lastUsedAt)}` : 'never used';
  return element('li', { attributes: { 'data-passkey-id': passkey.id } }, [
    element('span', { text: passkey.name, className: 'item-title' }),
    element('span', { text: `Added ${when(passkey.createdAt)}, ${used}`, className: 'item-detail' }),
    remove,
  ]);
}

async function addPasskey() {
  if (!passkeysSupported()) {
    say(addForm, 'error', 'This browser cannot create passkeys.');
    return;
  }
  const nameInput = document.getElementById('passkey-name');
  const name = nameInput.value.trim();
  const options = await call('POST', 'me/passkeys/options');
  if (!options.ok) {
    sayProblem(addForm, options);
    return;
  }
  let credential;
  try {
    credential = await navigator.credentials.create({ publicKey: creationOptions(options.data.publicKey) });
  } catch (error) {
    say(addForm, 'error', 'No passkey was created.', { messages: [ceremonyError(error)] });
    return;
  }
  const added = await call('POST', 'me/passkeys', { name, credential: attestationJson(credential) });
  if (!added.ok) {
    sayProblem(addForm, added);
    return;
  }
  nameInput.value = '';
  say(addForm, 'success', `The passkey "${name}" was added.`);
  await showPasskeys();
}

async function removePasskey(passkey) {
  const result = await call('DELETE', `me/passkeys/${encodeURIComponent(passkey.id)}`);
  if (!result.ok) {
    sayProblem(list, result);
    return;
  }
  say(list, 'success', `The passkey "${passkey.name}" was removed.`);
  await showPasskeys();
}

async function logInWithPasskey() {
  if (!passkeysSupported()) {
    say(loginButton, 'error', 'This browser cannot use passkeys.');
    return;
  }
  const options = await call('POST', 'login/passkey/options');
  if (!options.ok) {
    sayProblem(loginButton, options);
    return;
  }
  let credential;
  try {
    credential = await navigator.credentials.get({ publicKey: requestOptions(options.data.publicKey) });
  } catch (error) {
    say(loginButton, 'error', 'You were not logged in.', { messages: [ceremonyError(error)] });
    return;
  }
  const login = await call('POST', 'login/passkey', { credential: assertionJson(credential) });
  if (!login.ok) {
    sayProblem(loginButton, login);
    return;
  }
  changed();
}
