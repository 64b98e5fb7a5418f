// Several DocSessions edit one document on the live node at once: random inserts and deletes (emoji, combining marks,
// CJK), random dropped connections (with edits made while away), sessions closed and new ones opened mid-run. Every
// session must end with the server's text at the server's version, the op log must replay to that text, and no
// (clientId, seq) may be committed twice. Each session draws its actions from its own generator seeded from the run's
// seed (STOA_TEST_SEED, printed on failure); timing on the wire still varies between runs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRestClient, ok, docOpsSince, DocSession, apply, cpLength } from '../dist/index.js';
import { as, eventually, seeded, sleep, WebSocket } from './live.mjs';

const seed = Number(process.env.STOA_TEST_SEED ?? 20261206);
const pieces = ['a', 'b', ' ', 'é', 'e\u0301', '漢', '👍🏽', '🇫🇷', '\n', 'xyz'];
const initial = 'start ✓';

test(`random edits, disconnects and reopened sessions converge on the server's text (seed ${seed})`, async () => {
  const owner = createRestClient(as('conv-owner'));
  const { id: docId } = await ok(owner.POST('/v1/docs', { body: { text: initial } }));
  const open = (user) => DocSession.open({
    ...as(user), docId, WebSocket, reconnectDelayMs: 20, maxReconnectDelayMs: 300,
  });
  const count = 4;
  const finished = [];
  let edits = 0;
  const sessions = await Promise.all(Array.from({ length: count }, (_, i) => open(`conv-${i}`)));

  try {
    await Promise.all(sessions.map(async (first, i) => {
      const random = seeded(seed + i);
      let session = first;
      const edit = () => {
        edits++;
        const length = cpLength(session.text);
        if (random() < 0.62 || length === 0) {
          const at = Math.floor(random() * (length + 1));
          session.submit([at, pieces[Math.floor(random() * pieces.length)]].filter((c) => c !== 0));
        } else {
          const at = Math.floor(random() * length);
          session.submit([at, { d: Math.min(1 + Math.floor(random() * 3), length - at) }].filter((c) => c !== 0));
        }
      };
      for (let step = 0; step < 70; step++) {
        const roll = random();
        if (roll < 0.82) {
          edit();
        } else if (roll < 0.92) {
          // Lost connection, and the person keeps typing: the edits wait in the buffer until the session is back.
          session.dropConnection();
          for (let k = 0; k < 3; k++) edit();
        } else if (roll < 0.95) {
          // The tab is closed after its edits went through; a new session opens from a snapshot.
          await session.whenSynchronized();
          finished.push(session);
          session.close();
          session = await open(`conv-${i}`);
        }
        await sleep(Math.floor(random() * 8));
      }
      await session.whenSynchronized();
      sessions[i] = session;
    }));

    const { text, version } = await ok(owner.GET('/v1/docs/{id}', { params: { path: { id: docId } } }));
    const head = Number(version);
    await eventually(() => sessions.every((s) => s.version === head),
      () => `sessions at ${sessions.map((s) => s.version)} never reached ${head} (seed ${seed})`);
    for (const session of sessions) {
      assert.equal(session.failure, null, `${session.clientId} failed (seed ${seed})`);
      assert.equal(session.text, text, `${session.clientId} diverged (seed ${seed})`);
    }

    // The op log, read back in small pages, replays to the same text with every op committed once.
    const ops = [];
    for await (const op of docOpsSince(owner, docId, 0, 17)) ops.push(op);
    assert.equal(ops.length, head, `seed ${seed}`);
    assert.equal(ops.reduce((t, o) => apply(t, o.op), initial), text, `seed ${seed}`);
    const keys = ops.map((o) => `${o.clientId}#${o.seq}`);
    assert.equal(new Set(keys).size, keys.length, `an op was committed twice (seed ${seed})`);
    // Edits made while an op is in flight are composed into one, so there are fewer ops than edits, but many of both.
    assert.ok(edits > count * 50 && head > 20 && new Set(ops.map((o) => o.clientId)).size > count,
      `too little happened to mean anything: ${edits} edits, ${head} ops (seed ${seed})`);
  } finally {
    for (const session of [...sessions, ...finished]) session.close();
  }
});
