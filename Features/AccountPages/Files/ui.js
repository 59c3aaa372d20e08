// Small helpers the account page's modules share. Text goes into the page with textContent only: nothing from the
// server is ever read as HTML.
import { showOutcomeIn, whileBusy } from './pages.js';

export { whileBusy };

/** Shows an outcome in the section around `inside` (its .outcome box): kind 'success', 'error' or 'pending'. */
export function say(inside, kind, title, options) {
  const box = inside.closest('section').querySelector('.outcome');
  showOutcomeIn(box, kind, title, options);
  if (kind === 'error') box.scrollIntoView({ block: 'nearest' });
}

/** Shows a failed call's problem (see api.js) in words. */
export function sayProblem(inside, result) {
  say(inside, 'error', result.problem.title, { messages: result.problem.messages });
}

/** Hides the outcome of the section around `inside`. */
export function quiet(inside) {
  const box = inside.closest('section').querySelector('.outcome');
  box.hidden = true;
  box.replaceChildren();
}

/** A new element with text content and attributes (never HTML). */
export function element(tag, { text, className, attributes = {} } = {}, children = []) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  node.append(...children);
  return node;
}

/** A date from the API (ISO 8601, UTC) as the person's locale writes it. */
export function when(iso) {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? '' : date.toLocaleString();
}

/** Runs `work` when the form is submitted, with its controls disabled meanwhile (one request per click). */
export function onSubmit(form, work) {
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    whileBusy(form, work);
  });
}

/** Runs `work` when the button is pressed, disabled meanwhile. */
export function onPress(button, work) {
  button.addEventListener('click', async () => {
    button.disabled = true;
    try {
      await work();
    } finally {
      button.disabled = false;
    }
  });
}

/** Tells the page the account changed (signed in or out, 2FA, passkeys...): account.js reloads what it shows. */
export function changed() {
  document.dispatchEvent(new CustomEvent('account-changed'));
}
