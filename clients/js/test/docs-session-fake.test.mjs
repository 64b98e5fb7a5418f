// The client state machine (DocSession) against an in-memory server that follows the same rules as Stoa's (transform
// against every op since baseVersion, dedupe by clientId + seq, ops and acks in version order per socket), over fake
// sockets with random delays and dropped connections. A seeded run: every client must end with the server's text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DocSession, apply, transform, cpLength } from '../dist/index.js';

// Mulberry32: a small seeded generator, so a failing run can be replayed.
function seeded(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class FakeServer {
  constructor(text, random) {
    this.initial = text;
    this.text = text;
    this.log = [];
    this.sockets = new Set();
    this.random = random;
  }

  submit(socket, message) {
    const concurrent = this.log.slice(message.baseVersion);
    const duplicate = concurrent.find((o) => o.clientId === message.clientId && o.seq === message.seq);
    if (duplicate) return;
    let op = message.op;
    for (const other of concurrent) op = transform(op, other.op, 'left');
    this.text = apply(this.text, op);
    const entry = { version: this.log.length + 1, op, clientId: message.clientId, seq: message.seq };
    this.log.push(entry);
    for (const s of this.sockets) s.deliver(entry);
  }
}

class FakeSocket {
  static server = null;

  constructor(url) {
    const params = new URL(url).searchParams;
    this.server = FakeSocket.server;
    this.clientId = params.get('clientId');
    this.readyState = 0;
    this.after = 0;
    this.queue = Promise.resolve();
    setTimeout(() => {
      this.readyState = 1;
      this.server.sockets.add(this);
      this.onopen?.();
      if (params.has('from')) {
        this.after = Number(params.get('from'));
        for (const entry of this.server.log.slice(this.after)) this.deliver(entry);
      } else {
        this.after = this.server.log.length;
        this.push({ type: 'snapshot', version: this.after, text: this.server.text });
      }
    }, 1);
  }

  deliver(entry) {
    if (entry.version <= this.after) return;
    this.after = entry.version;
    this.push(entry.clientId === this.clientId
      ? { type: 'ack', seq: entry.seq, version: entry.version }
      : { type: 'op', version: entry.version, op: entry.op, clientId: entry.clientId });
  }

  // Random delays, but in order, as a TCP connection would.
  push(message) {
    const wait = Math.floor(this.server.random() * 4);
    this.queue = this.queue.then(() => new Promise((resolve) => setTimeout(() => {
      if (this.readyState === 1) this.onmessage?.({ data: JSON.stringify(message) });
      resolve();
    }, wait)));
  }

  send(data) {
    if (this.readyState !== 1) return;
    const message = JSON.parse(data);
    const wait = Math.floor(this.server.random() * 4);
    setTimeout(() => {
      if (this.readyState === 1 && message.type === 'op') this.server.submit(this, message);
    }, wait);
  }

  close() {
    if (this.readyState === 3) return;
    this.readyState = 3;
    this.server.sockets.delete(this);
    setTimeout(() => this.onclose?.({ code: 1006 }), 0);
  }
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

for (const seed of [20261121, 7, 4242]) {
  test(`random edits from several clients converge (seed ${seed})`, async () => {
    const random = seeded(seed);
    const server = new FakeServer('start', random);
    FakeSocket.server = server;
    const count = 3 + Math.floor(random() * 6);
    const clients = [];
    for (let i = 0; i < count; i++) {
      const client = new DocSession({
        baseUrl: 'http://fake', docId: 'd', apiKey: 'k', token: 't', clientId: `c${i}`, WebSocket: FakeSocket, reconnectDelayMs: 5,
      });
      await client.open();
      clients.push(client);
    }

    const pieces = ['a', 'b', ' ', 'é', '漢', '👍🏽', '🇫🇷', '\n'];
    await Promise.all(clients.map(async (client) => {
      for (let e = 0; e < 60; e++) {
        const roll = random();
        const length = cpLength(client.text);
        if (roll < 0.55) {
          const at = Math.floor(random() * (length + 1));
          client.submit([at, pieces[Math.floor(random() * pieces.length)]].filter((c) => c !== 0));
        } else if (roll < 0.85 && length > 0) {
          const at = Math.floor(random() * length);
          client.submit([at, { d: Math.min(1 + Math.floor(random() * 3), length - at) }].filter((c) => c !== 0));
        } else if (roll < 0.9) {
          client.dropConnection();
        }
        await sleep(Math.floor(random() * 5));
      }
    }));

    await Promise.all(clients.map((c) => c.whenSynchronized()));
    while (clients.some((c) => c.version < server.log.length)) await sleep(5);
    const seeds = `seed ${seed}`;
    for (const client of clients) assert.equal(client.text, server.text, `${client.clientId}, ${seeds}`);
    const keys = server.log.map((o) => `${o.clientId}#${o.seq}`);
    assert.equal(new Set(keys).size, keys.length, `an op was applied twice, ${seeds}`);
    assert.equal(server.log.reduce((text, o) => apply(text, o.op), server.initial), server.text);
    for (const client of clients) client.close();
  });
}

test('a local edit during a round trip goes to the buffer and is sent after the ack', async () => {
  const server = new FakeServer('', seeded(1));
  FakeSocket.server = server;
  const client = new DocSession({ baseUrl: 'http://fake', docId: 'd', apiKey: 'k', token: 't', WebSocket: FakeSocket });
  await client.open();
  assert.equal(client.state, 'synchronized');
  client.submit(['a']);
  assert.equal(client.state, 'awaitingConfirm');
  client.submit([1, 'b']);
  client.submit([2, 'c']);
  assert.equal(client.state, 'awaitingWithBuffer');
  await client.whenSynchronized();
  while (client.state !== 'synchronized' || client.version < 2) await sleep(2);
  assert.equal(server.text, 'abc');
  // Two ops, not three: the edits made while 'a' was in flight were composed into one.
  assert.deepEqual(server.log.map((o) => o.op), [['a'], [1, 'bc']]);
  client.close();
});
