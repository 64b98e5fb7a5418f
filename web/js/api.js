// The one way panels talk to Stoa: the public API, exactly as a third-party app would (X-Api-Key plus the user's
// Bearer token). Failures become ApiError with the problem+json `code` and `detail`, which showError puts on screen:
// an error the person never sees is a bug they cannot report.
import { session } from './session-state.js';

export class ApiError extends Error {
  constructor(status, code, detail, errors = null, retryAfter = null) {
    super(detail || code);
    this.status = status;
    this.code = code;
    this.detail = detail;
    this.errors = errors;
    this.retryAfter = retryAfter;
  }
}

/** Calls `path` with the app key and, when signed in, the user token; resolves to the JSON body (null for 204). */
export async function api(path, { method = 'GET', body, signal, auth = true } = {}) {
  const headers = { Accept: 'application/json' };
  if (auth && session.apiKey) headers['X-Api-Key'] = session.apiKey;
  if (auth && session.token) headers.Authorization = `Bearer ${session.token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let response;
  try {
    response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal });
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    throw new ApiError(0, 'network_error', 'The server could not be reached. Is it running?');
  }
  if (response.ok) {
    return response.status === 204 ? null : response.json();
  }
  throw await toApiError(response);
}

async function toApiError(response) {
  const retryAfter = response.headers.get('Retry-After');
  let problem = null;
  try {
    problem = await response.json();
  } catch {
    // Not JSON (a proxy's error page): the status alone still tells the person something.
  }
  return new ApiError(
    response.status,
    problem?.code ?? `http_${response.status}`,
    problem?.detail ?? problem?.title ?? response.statusText,
    problem?.errors ?? null,
    retryAfter);
}

/**
 * A URL for EventSource and WebSocket, which cannot send headers: the credentials travel as query parameters, which
 * the streaming endpoints accept (and only they).
 */
export function streamUrl(path, params = {}, { withToken = false, webSocket = false } = {}) {
  const url = new URL(path, window.location.href);
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null) url.searchParams.set(key, value);
  }
  if (session.apiKey) url.searchParams.set('api_key', session.apiKey);
  if (withToken && session.token) url.searchParams.set('access_token', session.token);
  if (webSocket) url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url.toString();
}

/** Renders an error (ApiError or any Error) into a panel's aria-live region; `null` clears it. */
export function showError(region, error) {
  region.replaceChildren();
  region.hidden = !error;
  if (!error) return;
  if (error.name === 'AbortError') {
    region.hidden = true;
    return;
  }
  const line = document.createElement('p');
  if (error instanceof ApiError) {
    const code = document.createElement('code');
    code.className = 'error-code';
    code.textContent = error.code;
    line.append(code, ` ${error.detail ?? ''}`);
    if (error.retryAfter && !/retry/i.test(error.detail ?? '')) line.append(` (retry in ${error.retryAfter} s)`);
  } else {
    line.textContent = error.message || String(error);
  }
  region.append(line);
  if (error.errors) {
    const list = document.createElement('ul');
    for (const [field, messages] of Object.entries(error.errors)) {
      for (const message of messages) {
        const item = document.createElement('li');
        item.textContent = `${field} ${message}`;
        list.append(item);
      }
    }
    region.append(list);
  }
}

/** Runs `work`, showing its failure in `region` (and clearing an old one on success): no error is swallowed. */
export async function guarded(region, work) {
  try {
    const result = await work();
    showError(region, null);
    return result;
  } catch (e) {
    showError(region, e);
    return undefined;
  }
}
