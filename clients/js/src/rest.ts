// Typed REST calls: openapi-fetch over the types openapi-typescript generated from the server's OpenAPI document
// (src/generated/schema.d.ts), so a wrong path, parameter or body is a compile error, and every call carries the
// app's key and the user's token.
import createClient, { type Client } from 'openapi-fetch';
import type { paths } from './generated/schema.js';
import { StoaError } from './errors.js';
import { credentialHeaders, resolve, type StoaOptions } from './options.js';

export type { paths, components } from './generated/schema.js';
export type RestClient = Client<paths>;

/** The JSON body an operation answers with 200 (or 201), taken from the document. */
export type JsonOf<Operation> = Operation extends { responses: infer R }
  ? R extends { 200: { content: { 'application/json': infer B } } } ? B
  : R extends { 201: { content: { 'application/json': infer B } } } ? B
  : never
  : never;

export type Quote = JsonOf<paths['/v1/quotes/{symbol}']['get']>;
export type Comment = JsonOf<paths['/v1/comments/{id}']['get']>;
export type CommentCounts = JsonOf<paths['/v1/comments/{id}/vote']['put']>;
export type DocOp = JsonOf<paths['/v1/docs/{id}/ops']['get']>['ops'][number];

/**
 * A typed client for every REST operation: `rest.GET('/v1/docs/{id}', { params: { path: { id } } })` resolves to
 * `{ data, error, response }`. The base URL and the credentials are read on every call, so a refreshed token or a
 * changed user is picked up without a new client.
 */
export function createRestClient(options: StoaOptions): RestClient {
  const fetchFn = options.fetch ?? globalThis.fetch.bind(globalThis);
  return createClient<paths>({
    // openapi-fetch needs an absolute base to build its Request; the fetch below moves the call to the node.
    baseUrl: PLACEHOLDER,
    fetch: async (request: Request) => {
      const target = new URL(request.url.slice(PLACEHOLDER.length), resolve(options.baseUrl));
      const headers = new Headers(request.headers);
      for (const [name, value] of Object.entries(credentialHeaders(options))) {
        if (!headers.has(name)) headers.set(name, value);
      }
      // Request bodies here are small JSON; reading them keeps clear of streaming-body rules (duplex) in node.
      const body = request.method === 'GET' || request.method === 'HEAD' ? undefined : await request.arrayBuffer();
      return fetchFn(target, {
        method: request.method,
        headers,
        body: body && body.byteLength > 0 ? body : undefined,
        signal: request.signal,
      });
    },
  });
}

const PLACEHOLDER = 'http://stoa.invalid';

/**
 * The body of a successful call, or a thrown StoaError carrying the problem's `code` (and `errors` for
 * validation_failed): `const doc = await ok(rest.GET('/v1/docs/{id}', …))`.
 */
export async function ok<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  let result;
  try {
    result = await call;
  } catch (e) {
    if (e instanceof Error && e.name === 'AbortError') throw e;
    throw new StoaError(0, 'network_error', e instanceof Error ? e.message : String(e));
  }
  const { data, error, response } = result;
  if (!response.ok) {
    throw StoaError.fromProblem(response.status, error, response.headers.get('Retry-After'));
  }
  return data as T;
}

/**
 * Every op of a document after version `from`, oldest first, page by page (GET /v1/docs/{id}/ops pages hold at most
 * `limit` ops and 1 MiB): pages on from the last version received until the head the server reported.
 */
export async function* docOpsSince(rest: RestClient, docId: string, from: number, limit = 1000): AsyncGenerator<DocOp> {
  let after = from;
  while (true) {
    const page = await ok(rest.GET('/v1/docs/{id}/ops', { params: { path: { id: docId }, query: { from: after, limit } } }));
    for (const op of page.ops) {
      yield op;
      after = Number(op.version);
    }
    if (page.ops.length === 0 || after >= Number(page.version)) return;
  }
}
