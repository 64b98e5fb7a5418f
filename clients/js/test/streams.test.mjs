// The quote stream and a thread's events against the live node, each through a dropped connection: the quote stream
// comes back with the price set while it was away (and does not report a resent quote twice); the thread's events
// resume from the last event id, so what happened while away is replayed in order.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createRestClient, ok, QuoteStream, ThreadEvents, StoaError } from '../dist/index.js';
import { as, gatedFetch, next } from './live.mjs';

const fast = { reconnectDelayMs: 50, maxReconnectDelayMs: 500 };

test('the quote stream reconnects and delivers the price set while it was away, once', async () => {
  const backend = createRestClient(as('quotes-backend', { server: true }));
  const symbol = `JS${Math.floor(Math.random() * 1e6)}`;
  const push = (price) => ok(backend.PUT('/v1/quotes/{symbol}', { params: { path: { symbol } }, body: { price } }));
  await push(10);
  const gate = gatedFetch();
  const stream = new QuoteStream({ ...as(null), ...fast, fetch: gate.fetch, symbols: [symbol.toLowerCase()] });
  const seen = [];
  stream.on('quote', (q) => seen.push(Number(q.price)));
  stream.on('live', (l) => seen.push(`live ${l}`));
  const lives = [];
  stream.on('live', (live) => lives.push(live));
  try {
    const first = next(stream, 'quote');
    stream.start();
    assert.equal(Number((await first).price), 10, 'the current quote comes first');

    const changed = next(stream, 'quote', (q) => Number(q.price) === 11);
    await push(11);
    await changed;

    const offline = next(stream, 'live', (live) => live === false);
    stream.dropConnection();
    await offline;
    // Set while the stream is away (its reconnect waits at the gate): only the reconnect's current quotes bring it.
    await push(12);
    const twelve = next(stream, 'quote', (q) => Number(q.price) === 12);
    gate.release();
    await twelve;
    assert.ok(gate.calls.length >= 2, 'the stream reconnected');
    assert.deepEqual(lives.slice(0, 3), [true, false, true], JSON.stringify(seen));
    // The reconnect resent the current quote; only changes are reported, in order.
    // Listen before pushing: the stream's event can come before the PUT's own answer.
    const thirteen = next(stream, 'quote', (q) => Number(q.price) === 13);
    await push(13);
    await thirteen;
    assert.deepEqual(seen.filter((s) => typeof s === 'number'), [10, 11, 12, 13]);
    assert.equal(Number(stream.latest.get(symbol).price), 13);
  } finally {
    stream.close();
  }
});

test('a refused quote stream fails with the problem code instead of retrying', async () => {
  const stream = new QuoteStream({ ...as(null), ...fast, symbols: ['NOT A SYMBOL!'] });
  const failed = next(stream, 'fail');
  stream.start();
  const error = await failed;
  assert.ok(error instanceof StoaError);
  assert.equal(error.status, 400);
  assert.equal(error.code, 'invalid_symbol');
  assert.equal(stream.failure, error);
});

test('thread events are delivered, and replayed from the last event id after a reconnect', async () => {
  const threadId = `events-${randomUUID()}`;
  const alice = createRestClient(as('events-alice'));
  const bob = createRestClient(as('events-bob'));
  const gate = gatedFetch();
  const events = new ThreadEvents({ ...as(null), ...fast, fetch: gate.fetch, threadId });
  const log = [];
  events.on('comment.created', (c) => log.push(`created ${c.body}`));
  events.on('comment.updated', (c) => log.push(`updated ${c.body}`));
  events.on('comment.counts', (c) => log.push(`counts ${c.upvotes}`));
  try {
    const live = next(events, 'live');
    events.start();
    assert.deepEqual(await live, { reconnected: false });

    const created = next(events, 'comment.created');
    const first = await ok(alice.POST('/v1/threads/{threadId}/comments', { params: { path: { threadId } }, body: { body: 'first' } }));
    assert.equal((await created).id, first.id);
    const counted = next(events, 'comment.counts', (c) => c.id === first.id && Number(c.upvotes) === 1);
    await ok(bob.PUT('/v1/comments/{id}/vote', { params: { path: { id: first.id } }, body: { value: 1 } }));
    await counted;
    const resumeFrom = events.lastEventId;
    assert.ok(resumeFrom, 'events carry ids');

    const offline = next(events, 'offline');
    events.dropConnection();
    await offline;
    // While the stream is away: a reply, an edit. Only a resume from the last event id can bring these back.
    const back = next(events, 'live', (l) => l.reconnected);
    const updated = next(events, 'comment.updated', (c) => c.id === first.id);
    const replied = next(events, 'comment.created', (c) => c.body === 'second');
    await ok(bob.POST('/v1/threads/{threadId}/comments', { params: { path: { threadId } }, body: { body: 'second' } }));
    await ok(alice.PATCH('/v1/comments/{id}', { params: { path: { id: first.id } }, body: { body: 'first, edited' } }));
    gate.release();
    await back;
    assert.equal(gate.calls[0].headers.get('Last-Event-ID'), null);
    assert.equal(gate.calls.at(-1).headers.get('Last-Event-ID'), resumeFrom);
    await replied;
    assert.equal((await updated).body, 'first, edited');
    assert.notEqual(events.lastEventId, resumeFrom);
    assert.deepEqual(log.filter((l) => !l.startsWith('counts')), ['created first', 'created second', 'updated first, edited']);
    assert.ok(log.includes('counts 1'));
  } finally {
    events.close();
  }
});
