// The account page's calls to SliceAuth's public API. Routes are written relative to the page (/account), so 'me'
// is /me, and the page works behind a proxy that serves SliceAuth under a path prefix too.
import { problemOf } from './pages.js';

/**
 * Sends one request; never throws. Answers { ok, status, data } where data is the parsed JSON body (or null), and on
 * failure also { problem: { title, messages } } in words for the person, from the problem body when there is one.
 */
export async function call(method, route, body) {
  let response;
  try {
    response = await fetch(new URL(route, document.baseURI), {
      method,
      headers: body === undefined
        ? { Accept: 'application/json, application/problem+json' }
        : { 'Content-Type': 'application/json', Accept: 'application/json, application/problem+json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
      cache: 'no-store',
    });
  } catch {
    return { ok: false, status: 0, data: null, problem: { title: 'The server could not be reached.', messages: ['Check your connection and try again.'] } };
  }
  if (!response.ok) return { ok: false, status: response.status, data: null, problem: await problemOf(response) };
  let data = null;
  if (response.status !== 204) {
    try {
      data = await response.json();
    } catch {
      // A success without a JSON body (201/202 may have none): the status says enough.
    }
  }
  return { ok: true, status: response.status, data };
}
