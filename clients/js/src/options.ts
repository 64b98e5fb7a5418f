// What every part of the client needs to reach a Stoa node as an app does (docs/auth.md): the node's address, the
// app's public API key and, for calls made for a user, the user's JWT, signed by the app's own backend.

/** A value, or a function asked each time it is needed (a token that is refreshed, a page's current origin). */
export type Provider<T> = T | (() => T);

export interface StoaOptions {
  /** The node or load balancer, e.g. `http://localhost:8080`. */
  baseUrl: Provider<string>;
  /** The app's public key, sent as `X-Api-Key` (or `api_key` where headers cannot go). */
  apiKey: Provider<string>;
  /** The user's (or the app backend's server) token; omitted for key-only calls. */
  token?: Provider<string | null | undefined>;
  /** `fetch` to use; defaults to the global one (browsers, node 18+). */
  fetch?: typeof fetch;
}

export const resolve = <T>(value: Provider<T>): T => (typeof value === 'function' ? (value as () => T)() : value);

/** The key and the token as they are now; either may be missing (a page used before sign-in: the server's 401 says so). */
export function currentCredentials(options: StoaOptions): { apiKey: string | undefined; token: string | undefined } {
  return {
    apiKey: resolve(options.apiKey) || undefined,
    token: (options.token === undefined ? undefined : resolve(options.token)) || undefined,
  };
}

/** Headers every call carries: the key and, when there is one, the token. */
export function credentialHeaders(options: StoaOptions): Record<string, string> {
  const { apiKey, token } = currentCredentials(options);
  const headers: Record<string, string> = {};
  if (apiKey) headers['X-Api-Key'] = apiKey;
  if (token) headers.Authorization = `Bearer ${token}`;
  return headers;
}

/** An absolute URL for `path` on the node. */
export function nodeUrl(options: StoaOptions, path: string): URL {
  return new URL(path, resolve(options.baseUrl));
}

/** Reconnection pacing shared by the realtime parts: exponential backoff with jitter, reset once connected. */
export interface ReconnectOptions {
  /** First delay after a lost connection (ms). */
  reconnectDelayMs?: number;
  /** Largest delay between attempts (ms). */
  maxReconnectDelayMs?: number;
}

export class Backoff {
  #initial: number;
  readonly #max: number;
  #delay: number;

  constructor(options: ReconnectOptions, initialMs = 100, maxMs = 5000) {
    this.#initial = options.reconnectDelayMs ?? initialMs;
    this.#max = options.maxReconnectDelayMs ?? maxMs;
    this.#delay = this.#initial;
  }

  /** True once the delay has grown to its maximum (attempts keep failing). */
  get exhausted(): boolean {
    return this.#delay >= this.#max;
  }

  /** The next wait: between half and one and a half times the current delay, which then doubles. */
  next(): number {
    const wait = this.#delay * (0.5 + Math.random());
    this.#delay = Math.min(this.#delay * 2, this.#max);
    return wait;
  }

  reset(): void {
    this.#delay = this.#initial;
  }

  /** Moves the first delay (a server's advice), keeping at most the maximum. */
  startAt(ms: number): void {
    this.#initial = Math.min(Math.max(ms, 1), this.#max);
    this.#delay = Math.max(this.#delay, this.#initial);
  }
}
