// What both account pages share: the token from the mailed link, calls to the API, and the outcome shown to the person.
// Text goes into the page with textContent only: nothing from the server or the address is ever read as HTML.

/** The link's token, or null. It is removed from the address bar (and so from history and bookmarks) once read. */
export function takeToken() {
  const url = new URL(window.location.href);
  if (!url.searchParams.has('token')) return null;
  const token = url.searchParams.get('token').trim();
  url.searchParams.delete('token');
  window.history.replaceState(window.history.state, '', url);
  return token || null;
}

/**
 * POSTs a JSON body to an API route written relative to the page ('../password/reset'), so the pages work behind a
 * proxy that serves SliceAuth under a path prefix too. Throws only when the server could not be reached.
 */
export function postJson(route, body) {
  return fetch(new URL(route, document.baseURI), {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json, application/problem+json' },
    body: JSON.stringify(body),
    credentials: 'same-origin',
    cache: 'no-store',
  });
}

/** What went wrong, read from a problem+json answer: its title, then its detail and the messages under `errors` (in either shape). */
export async function problemOf(response) {
  let problem = null;
  try {
    problem = await response.json();
  } catch {
    // Not JSON (a proxy's error page): the status says enough.
  }
  const title = isText(problem?.title) ? problem.title : `The request failed (HTTP ${response.status}).`;
  const messages = [...(isText(problem?.detail) ? [problem.detail] : []), ...fieldMessages(problem?.errors)];
  const retryAfter = Number.parseInt(response.headers.get('Retry-After') ?? '', 10);
  if (Number.isFinite(retryAfter) && retryAfter >= 0) messages.push(`Please try again in ${waitText(retryAfter)}.`);
  return { title, messages, hasFieldErrors: fieldMessages(problem?.errors).length > 0 };
}

// [{ name, reason }] or ASP.NET Core's { field: [message, ...] }.
function fieldMessages(errors) {
  if (Array.isArray(errors)) return errors.map((error) => error?.reason).filter(isText);
  if (errors && typeof errors === 'object') return Object.values(errors).flat().filter(isText);
  return [];
}

function waitText(seconds) {
  if (seconds < 90) return seconds === 1 ? '1 second' : `${seconds} seconds`;
  return `${Math.ceil(seconds / 60)} minutes`;
}

function isText(value) {
  return typeof value === 'string' && value.trim() !== '';
}

/**
 * Shows the outcome under the page's heading: kind is 'success', 'error' or 'pending' (the test and the style read it
 * from data-outcome), then a title, optional messages and an optional link { href, text }.
 */
export function showOutcome(kind, title, options = {}) {
  showOutcomeIn(document.getElementById('outcome'), kind, title, options);
}

/** showOutcome into a given box (a page with several forms gives each its own). */
export function showOutcomeIn(box, kind, title, { messages = [], link = null } = {}) {
  const heading = document.createElement('p');
  heading.className = 'outcome-title';
  heading.textContent = title;
  const parts = [heading];
  if (messages.length > 0) {
    const list = document.createElement('ul');
    for (const message of messages) {
      const item = document.createElement('li');
      item.textContent = message;
      list.append(item);
    }
    parts.push(list);
  }
  if (link) {
    const anchor = document.createElement('a');
    anchor.href = link.href;
    anchor.textContent = link.text;
    const paragraph = document.createElement('p');
    paragraph.append(anchor);
    parts.push(paragraph);
  }
  box.replaceChildren(...parts);
  box.dataset.outcome = kind;
  box.hidden = false;
}

export function showUnreachable() {
  showOutcome('error', 'The server could not be reached.', { messages: ['Check your connection and try again.'] });
}

/** Runs work with the form's controls disabled, so a double click sends one request. */
export async function whileBusy(form, work) {
  const controls = [...form.querySelectorAll('input, button')];
  for (const control of controls) control.disabled = true;
  try {
    return await work();
  } finally {
    for (const control of controls) control.disabled = false;
  }
}
