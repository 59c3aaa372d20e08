// The API spoken directly, as a client that is not the browser under test (another device, a check behind the page).

/** A function `api(method, path, { json, cookie })` that calls `baseUrl` and answers the fetch Response, never following redirects. */
export function apiAt(baseUrl, timeoutMs) {
  return async function api(method, path, { json, cookie } = {}) {
    const headers = {};
    if (json !== undefined) headers['Content-Type'] = 'application/json';
    if (cookie) headers.Cookie = cookie;
    return fetch(`${baseUrl}${path}`, {
      method,
      headers,
      body: json === undefined ? undefined : JSON.stringify(json),
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
  };
}
