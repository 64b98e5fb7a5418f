// What the live tests share: the node scripts/test.mjs started, tokens signed as the app's backend would sign them
// (HS256 with the app's secret; docs/auth.md), a seeded random generator, and waiting for events.
import { createHmac } from 'node:crypto';
import WebSocket from 'ws';

export const baseUrl = required('STOA_TEST_URL');
export const apiKey = required('STOA_TEST_API_KEY');
const secret = required('STOA_TEST_SECRET');
export { WebSocket };

function required(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run these tests with \`npm test\` (scripts/test.mjs starts a server).`);
  return value;
}

const base64url = (value) => Buffer.from(value).toString('base64url');

/** A user token (or, with `server`, the app backend's token), valid for an hour. */
export function token(userId, { server = false } = {}) {
  const now = Math.floor(Date.now() / 1000);
  const header = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const payload = base64url(JSON.stringify({ sub: userId, iat: now, exp: now + 3600, ...(server ? { server: true } : {}) }));
  const signature = createHmac('sha256', secret).update(`${header}.${payload}`).digest('base64url');
  return `${header}.${payload}.${signature}`;
}

/** Options for a client acting as `userId` (key-only when `userId` is null). */
export const as = (userId, extra = {}) => ({ baseUrl, apiKey, ...(userId === null ? {} : { token: token(userId, extra) }) });

/** Mulberry32: a small seeded generator, so a failing run can be replayed with STOA_TEST_SEED. */
export function seeded(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolves with the first value of `event` on `emitter` that satisfies `predicate`; rejects after `ms`. */
export function next(emitter, event, predicate = () => true, ms = 20_000, label = predicate.toString()) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`no '${event}' event (${label}) within ${ms} ms`));
    }, ms);
    const off = emitter.on(event, (value) => {
      if (!predicate(value)) return;
      clearTimeout(timer);
      off();
      resolve(value);
    });
  });
}

/** Polls `condition` until it holds; fails with `message` after `ms`. */
export async function eventually(condition, message, ms = 20_000) {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out: ${typeof message === 'function' ? message() : message}`);
    await sleep(20);
  }
}

/**
 * A fetch that records each call's headers and holds calls after the first until `release()`: a test can make things
 * happen while a stream is away and know that its reconnect comes after them.
 */
export function gatedFetch() {
  const calls = [];
  let open;
  let gate = new Promise((resolve) => {
    open = resolve;
  });
  const fetchFn = async (url, init) => {
    calls.push({ url: String(url), headers: new Headers(init?.headers) });
    if (calls.length > 1) await gate;
    return fetch(url, init);
  };
  return {
    fetch: fetchFn,
    calls,
    release() {
      open();
    },
    hold() {
      gate = new Promise((resolve) => {
        open = resolve;
      });
    },
  };
}

/**
 * A WebSocket constructor (over `ws`) whose new connections wait while held: a test can keep a session away while
 * others write, and know that its reconnect comes after them.
 */
export function gatedWebSocket() {
  let held = false;
  const waiting = [];
  class GatedWebSocket {
    #inner = null;
    #state = 0;
    onopen = null;
    onmessage = null;
    onclose = null;
    onerror = null;

    constructor(url) {
      const connect = () => {
        if (this.#state === 3) return;
        const inner = new WebSocket(url);
        this.#inner = inner;
        inner.onopen = (e) => this.onopen?.(e);
        inner.onmessage = (e) => this.onmessage?.(e);
        inner.onclose = (e) => this.onclose?.(e);
        inner.onerror = (e) => this.onerror?.(e);
      };
      if (held) waiting.push(connect);
      else connect();
    }

    get readyState() {
      return this.#inner ? this.#inner.readyState : this.#state;
    }

    send(data) {
      this.#inner?.send(data);
    }

    close(code, reason) {
      if (this.#inner) {
        this.#inner.close(code, reason);
      } else {
        this.#state = 3;
        setTimeout(() => this.onclose?.({ code: 1006, reason: '' }), 0);
      }
    }
  }
  return {
    WebSocket: GatedWebSocket,
    hold() {
      held = true;
    },
    release() {
      held = false;
      for (const connect of waiting.splice(0)) connect();
    },
  };
}
