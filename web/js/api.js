// The one way panels talk to Stoa: the TypeScript client (clients/js, bundled as stoa-client.js) with the app key and,
// when signed in, the user's token, exactly as a third-party app would. Failures are StoaError with the problem+json
// `code` and `detail`, which showError puts on screen: an error the person never sees is a bug they cannot report.
import { createRestClient, ok, StoaError } from './stoa-client.js';
import { session } from './session-state.js';

/** Where the page's clients find the node and who they are; read on every call, so a new sign-in applies at once. */
export const credentials = {
  baseUrl: () => window.location.origin,
  apiKey: () => session.apiKey,
  token: () => session.token,
};

/** Typed REST calls from the OpenAPI document: `call(rest.GET('/v1/docs/{id}', { params: { path: { id } } }))`. */
export const rest = createRestClient(credentials);

/** The body of a successful call; a refusal throws StoaError. */
export const call = ok;

/**
 * The development-only endpoints (GET /dev/session, POST /dev/token): not part of the API's contract (the OpenAPI
 * document leaves them out), so they are plain fetches.
 */
export async function devApi(path, body) {
  let response;
  try {
    response = await fetch(path, body === undefined
      ? { headers: { Accept: 'application/json' } }
      : { method: 'POST', headers: { Accept: 'application/json', 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  } catch {
    throw new StoaError(0, 'network_error', 'The server could not be reached. Is it running?');
  }
  if (!response.ok) throw await StoaError.fromResponse(response);
  return response.json();
}

/** Renders an error (StoaError or any Error) into a panel's aria-live region; `null` clears it. */
export function showError(region, error) {
  region.replaceChildren();
  region.hidden = !error;
  if (!error) return;
  if (error.name === 'AbortError') {
    region.hidden = true;
    return;
  }
  const line = document.createElement('p');
  if (error instanceof StoaError) {
    if (error.code === 'network_error') error = new StoaError(0, error.code, 'The server could not be reached. Is it running?');
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
