// Typed REST calls (openapi-fetch over the generated schema) against the live node: credentials on every call, bodies
// as the document describes them, failures as StoaError with the problem's code, and paging through a document's ops.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createRestClient, ok, docOpsSince, StoaError, apply } from '../dist/index.js';
import { as } from './live.mjs';

test('a document is created, edited and read back through typed calls', async () => {
  const rest = createRestClient(as('rest-alice'));
  const created = await ok(rest.POST('/v1/docs', { body: { text: 'hello' } }));
  assert.equal(created.text, 'hello');
  assert.equal(Number(created.version), 0);

  const submitted = await ok(rest.POST('/v1/docs/{id}/ops', {
    params: { path: { id: created.id } },
    body: { baseVersion: 0, op: [5, ' world'], clientId: 'rest-test', seq: 1 },
  }));
  assert.deepEqual({ version: Number(submitted.version), duplicate: submitted.duplicate }, { version: 1, duplicate: false });
  // The same (clientId, seq) again is a duplicate, answered with its first version.
  const again = await ok(rest.POST('/v1/docs/{id}/ops', {
    params: { path: { id: created.id } },
    body: { baseVersion: 0, op: [5, ' world'], clientId: 'rest-test', seq: 1 },
  }));
  assert.deepEqual({ version: Number(again.version), duplicate: again.duplicate }, { version: 1, duplicate: true });

  const doc = await ok(rest.GET('/v1/docs/{id}', { params: { path: { id: created.id } } }));
  assert.deepEqual({ text: doc.text, version: Number(doc.version) }, { text: 'hello world', version: 1 });
});

test('docOpsSince pages through the op log up to the head', async () => {
  const rest = createRestClient(as('rest-bob'));
  const { id } = await ok(rest.POST('/v1/docs', { body: { text: '' } }));
  const ops = [['a'], [1, 'b'], [2, 'c'], [{ d: 1 }], [2, '🙂'], ['Z']];
  for (const [i, op] of ops.entries()) {
    await ok(rest.POST('/v1/docs/{id}/ops', { params: { path: { id } }, body: { baseVersion: i, op, clientId: 'pager', seq: i + 1 } }));
  }
  const seen = [];
  for await (const op of docOpsSince(rest, id, 1, 2)) seen.push(op);
  assert.deepEqual(seen.map((o) => Number(o.version)), [2, 3, 4, 5, 6]);
  const { text } = await ok(rest.GET('/v1/docs/{id}', { params: { path: { id } } }));
  assert.equal(seen.reduce((t, o) => apply(t, o.op), 'a'), text);
  assert.equal(text, 'Zbc🙂');
});

test('refusals become StoaError with the problem code', async () => {
  const rest = createRestClient(as('rest-carol'));
  await assert.rejects(ok(rest.GET('/v1/docs/{id}', { params: { path: { id: randomUUID() } } })),
    (e) => e instanceof StoaError && e.status === 404 && e.code === 'doc_not_found');
  await assert.rejects(ok(rest.GET('/v1/threads/{threadId}/comments', { params: { path: { threadId: 'rest' }, query: { limit: 1000 } } })),
    (e) => e instanceof StoaError && e.status === 400 && e.code === 'validation_failed' && e.errors !== undefined);
  const keyOnly = createRestClient(as(null));
  await assert.rejects(ok(keyOnly.POST('/v1/docs', { body: { text: '' } })),
    (e) => e instanceof StoaError && e.status === 401);
  const unreachable = createRestClient({ baseUrl: 'http://127.0.0.1:9', apiKey: 'pk_x' });
  await assert.rejects(ok(unreachable.GET('/v1/quotes/{symbol}', { params: { path: { symbol: 'AAPL' } } })),
    (e) => e instanceof StoaError && e.code === 'network_error');
});

test('comments, votes and quotes round-trip with user and server tokens', async () => {
  const user = createRestClient(as('rest-dave'));
  const threadId = `rest-${randomUUID()}`;
  const comment = await ok(user.POST('/v1/threads/{threadId}/comments', { params: { path: { threadId } }, body: { body: 'Typed **hello**' } }));
  assert.equal(comment.body, 'Typed **hello**');
  const reader = createRestClient(as('rest-erin'));
  const counts = await ok(reader.PUT('/v1/comments/{id}/vote', { params: { path: { id: comment.id } }, body: { value: 1 } }));
  assert.equal(Number(counts.upvotes), 1);
  const page = await ok(user.GET('/v1/threads/{threadId}/comments', { params: { path: { threadId }, query: { sort: 'top', limit: 10 } } }));
  assert.deepEqual(page.items.map((c) => c.id), [comment.id]);

  const backend = createRestClient(as('rest-backend', { server: true }));
  const pushed = await ok(backend.PUT('/v1/quotes/{symbol}', { params: { path: { symbol: 'JSREST' } }, body: { price: 12.5, currency: 'EUR' } }));
  assert.equal(Number(pushed.price), 12.5);
  const read = await ok(createRestClient(as(null)).GET('/v1/quotes/{symbol}', { params: { path: { symbol: 'jsrest' } } }));
  assert.deepEqual({ symbol: read.symbol, price: Number(read.price), currency: read.currency, source: read.source },
    { symbol: 'JSREST', price: 12.5, currency: 'EUR', source: 'app' });
  // A user token may not push prices.
  await assert.rejects(ok(user.PUT('/v1/quotes/{symbol}', { params: { path: { symbol: 'JSREST' } }, body: { price: 1 } })),
    (e) => e instanceof StoaError && e.status === 403 && e.code === 'server_token_required');
});
