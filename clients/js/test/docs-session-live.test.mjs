// A DocSession on the live node through what the protocol promises a client that was away, and a refusal for good:
// catching up on many ops (the node pages them into the socket, a page being at most Docs:ReadPageBytes, 64 KiB in
// these tests) while its own edit made offline waits to be resent; and access revoked while connected.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRestClient, ok, DocSession, StoaError } from '../dist/index.js';
import { as, eventually, gatedWebSocket, next, WebSocket } from './live.mjs';

test('a session away while 120 ops of 2,000 characters were committed catches up and sends its own edit once', async () => {
  const writer = createRestClient(as('catchup-writer'));
  const { id: docId } = await ok(writer.POST('/v1/docs', { body: { text: '' } }));
  const gate = gatedWebSocket();
  const session = await DocSession.open({ ...as('catchup-reader'), docId, WebSocket: gate.WebSocket, reconnectDelayMs: 20 });
  try {
    gate.hold();
    const offline = next(session, 'connection', (connected) => connected === false);
    session.dropConnection();
    await offline;
    session.submit(['away ']);
    assert.equal(session.state, 'awaitingConfirm');

    // About 480 KB of ops as stored (é is two bytes in UTF-8): seven pages or more of catch-up.
    const line = (i) => `${String(i).padStart(4, '0')} ${'é'.repeat(1994)}\n`;
    for (let i = 0; i < 120; i++) {
      // Each line goes at the start, on the version before it (the session's edit waits offline).
      await ok(writer.POST('/v1/docs/{id}/ops', {
        params: { path: { id: docId } }, body: { baseVersion: i, op: [line(i)], clientId: 'writer', seq: i + 1 },
      }));
    }

    gate.release();
    await session.whenSynchronized();
    const { text, version } = await ok(writer.GET('/v1/docs/{id}', { params: { path: { id: docId } } }));
    await eventually(() => session.version === Number(version), () => `the session stayed at ${session.version} of ${version}`);
    assert.equal(session.text, text);
    assert.equal(Number(version), 121);
    assert.equal(text.split('away ').length, 2, 'the offline edit was committed once');
  } finally {
    session.close();
  }
});

test('a session whose access is revoked fails with doc_forbidden instead of reconnecting', async () => {
  const backend = createRestClient(as('acl-backend', { server: true }));
  const { id: docId } = await ok(backend.POST('/v1/docs', { body: { text: 'members only', access: 'members', members: ['acl-member'] } }));
  const session = await DocSession.open({ ...as('acl-member'), docId, WebSocket, reconnectDelayMs: 20 });
  assert.equal(session.text, 'members only');
  const failed = next(session, 'fail');
  await ok(backend.PUT('/v1/docs/{id}/access', { params: { path: { id: docId } }, body: { access: 'members', members: [] } }));
  const error = await failed;
  assert.ok(error instanceof StoaError);
  assert.equal(error.code, 'doc_forbidden');
  assert.equal(session.failure, error);
  assert.throws(() => session.submit(['x']), (e) => e === error);
});

test('a session refused at the handshake fails once its retries are spent', async () => {
  const backend = createRestClient(as('acl-backend', { server: true }));
  const { id: docId } = await ok(backend.POST('/v1/docs', { body: { text: '', access: 'members', members: [] } }));
  const opening = DocSession.open({ ...as('acl-stranger'), docId, WebSocket, reconnectDelayMs: 10, maxReconnectDelayMs: 80 });
  await assert.rejects(opening, (e) => e instanceof StoaError && e.code === 'doc_session_refused');
});
