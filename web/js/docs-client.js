// Realtime collaborative text for the browser: a live session on one Stoa document over the docs WebSocket
// (docs/docs-protocol.md). ES module, no build step. The classic OT client state machine:
//   synchronized        -> nothing in flight
//   awaitingConfirm     -> one op sent, waiting for its ack
//   awaitingWithBuffer  -> one op in flight, later local edits composed into a buffer (sent after the ack)
// Remote ops are transformed past the in-flight op and the buffer. The text is rebuilt from deltas only: one snapshot
// when the session opens, then ops. After a lost connection the client reconnects from its version, receives what
// it missed (its own in-flight op, if committed, arrives as its ack) and resends the in-flight op with the same
// clientId and seq, which the server acknowledges without applying it twice.
import { apply, compose, transform, diff, isNoop } from './ot-text-unicode.js';

const TRANSIENT = new Set(['rate_limited', 'doc_busy', 'store_busy', 'internal_error']);

/** Close reasons (with code 1008) after which reconnecting cannot help. */
const FATAL_CLOSE_REASONS = new Set(['doc_forbidden', 'doc_not_found', 'version_too_old']);

export class DocsClient {
  /**
   * @param {object} options
   * @param {string | (() => string)} options.baseUrl  server address, e.g. "http://localhost:8080" (asked on every connect)
   * @param {string} options.docId
   * @param {string} options.apiKey
   * @param {string | (() => string)} options.token    the user's JWT (asked on every connect)
   * @param {string} [options.clientId]                 random when omitted
   * @param {typeof WebSocket} [options.WebSocket]      defaults to globalThis.WebSocket
   * @param {number} [options.reconnectDelayMs]
   */
  constructor(options) {
    this.options = { reconnectDelayMs: 100, maxReconnectDelayMs: 5000, ...options };
    this.clientId = options.clientId ?? 'js' + Math.random().toString(36).slice(2, 14);
    this.text = '';
    this.version = 0;
    this.inflight = null;
    this.inflightSeq = 0;
    this.buffer = null;
    this.seq = 0;
    this.hasSnapshot = false;
    this.socket = null;
    this.closed = false;
    this.failure = null;
    this.listeners = new Map();
    this.delay = this.options.reconnectDelayMs;
  }

  /** 'synchronized' | 'awaitingConfirm' | 'awaitingWithBuffer' */
  get state() {
    if (this.inflight === null) return 'synchronized';
    return this.buffer === null ? 'awaitingConfirm' : 'awaitingWithBuffer';
  }

  /** Subscribes to 'remote' ({version, op, clientId}), 'ack' ({seq, version}), 'presence', 'error', 'state', 'open'. */
  on(event, listener) {
    if (!this.listeners.has(event)) this.listeners.set(event, new Set());
    this.listeners.get(event).add(listener);
    return () => this.listeners.get(event).delete(listener);
  }

  emit(event, value) {
    for (const listener of this.listeners.get(event) ?? []) listener(value);
  }

  /** Connects and resolves once the snapshot has arrived. */
  open() {
    return new Promise((resolve, reject) => {
      const offOpen = this.on('open', () => {
        offOpen();
        offFail();
        resolve(this);
      });
      const offFail = this.on('fail', (error) => {
        offOpen();
        offFail();
        reject(error);
      });
      this.connect();
    });
  }

  /** Applies a local edit (made on `text`) and sends it when the state machine allows. */
  submit(op) {
    if (this.failure) throw this.failure;
    if (isNoop(op)) return;
    this.text = apply(this.text, op);
    if (this.inflight === null) {
      this.inflight = op;
      this.inflightSeq = ++this.seq;
      this.sendInflight();
    } else {
      this.buffer = this.buffer === null ? op : compose(this.buffer, op);
    }
    this.emit('state', this.state);
  }

  /** Replaces the whole text (what a textarea's input event gives) as one minimal edit. */
  replace(newText) {
    this.submit(diff(this.text, newText));
  }

  /** Tells the others where this client's cursor is (a code point position). */
  moveCursor(position) {
    this.send({ type: 'cursor', position });
  }

  /** Resolves when every local edit is acknowledged. */
  whenSynchronized() {
    if (this.inflight === null) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const off = this.on('state', (state) => {
        if (state === 'synchronized') {
          off();
          resolve();
        } else if (this.failure) {
          off();
          reject(this.failure);
        }
      });
    });
  }

  /** Drops the connection as a network failure would; the client reconnects by itself. */
  dropConnection() {
    if (this.socket) this.closeSocket(this.socket);
  }

  close() {
    this.closed = true;
    if (this.socket) this.closeSocket(this.socket, 1000, 'bye');
  }

  // Some WebSocket implementations (node's undici among them) can stay in CLOSING when close() comes while still
  // connecting: close once open, and give up on the handshake after a while so the client always reconnects.
  closeSocket(socket, code, reason) {
    if (socket.readyState === 0) {
      socket.closeWhenOpen = true;
    } else {
      socket.close(code, reason);
    }
    const timer = setTimeout(() => socket.finish?.(), 3000);
    timer?.unref?.();
  }

  connect() {
    if (this.closed) return;
    const base = typeof this.options.baseUrl === 'function' ? this.options.baseUrl() : this.options.baseUrl;
    const token = typeof this.options.token === 'function' ? this.options.token() : this.options.token;
    const url = new URL(`/v1/docs/${this.options.docId}/live`, base);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    url.searchParams.set('clientId', this.clientId);
    url.searchParams.set('api_key', this.options.apiKey);
    url.searchParams.set('access_token', token);
    if (this.hasSnapshot) url.searchParams.set('from', String(this.version));
    const Socket = this.options.WebSocket ?? globalThis.WebSocket;
    const socket = new Socket(url.toString());
    this.socket = socket;
    let opened = false;
    socket.onopen = () => {
      opened = true;
      if (socket.closeWhenOpen) {
        socket.close();
        return;
      }
      this.delay = this.options.reconnectDelayMs;
      // The in-flight op may or may not have been committed: resend it with its seq; the server dedupes.
      if (this.inflight !== null) this.sendInflight();
    };
    socket.onmessage = (event) => {
      if (this.socket === socket) this.handle(JSON.parse(typeof event.data === 'string' ? event.data : String(event.data)));
    };
    socket.finish = () => {
      if (this.socket !== socket) return;
      this.socket = null;
      if (this.closed || this.failure) return;
      if (!opened && !this.hasSnapshot && this.delay >= this.options.maxReconnectDelayMs) {
        this.fail(new Error('Cannot open the document session'));
        return;
      }
      const wait = this.delay * (0.5 + Math.random());
      this.delay = Math.min(this.delay * 2, this.options.maxReconnectDelayMs);
      setTimeout(() => this.connect(), wait);
    };
    socket.onclose = (event) => {
      // The server closed for a reason a reconnect cannot mend (access revoked, document gone, this client's version
      // compacted away): the session fails with the code instead of retrying.
      if (event?.code === 1008 && FATAL_CLOSE_REASONS.has(event.reason) && this.socket === socket) {
        this.socket = null;
        this.fail(Object.assign(new Error(`The server closed the session: ${event.reason}`), { code: event.reason }));
        return;
      }
      socket.finish();
    };
    socket.onerror = () => {};
  }

  handle(message) {
    switch (message.type) {
      case 'snapshot':
        if (!this.hasSnapshot) {
          this.text = message.text;
          this.version = message.version;
          this.hasSnapshot = true;
          this.emit('open', this);
        }
        break;
      case 'op':
        this.onRemoteOp(message.version, message.op, message.clientId);
        break;
      case 'ack':
        this.onAck(message.seq, message.version);
        break;
      case 'presence':
        this.emit('presence', message);
        break;
      case 'error':
        this.onError(message);
        break;
    }
  }

  onRemoteOp(version, op, clientId) {
    if (version <= this.version) return;
    if (version !== this.version + 1) {
      // Never expected (the server sends in order): reconnecting from our version repairs it.
      this.dropConnection();
      return;
    }
    if (this.inflight !== null) {
      const remote = transform(op, this.inflight, 'right');
      this.inflight = transform(this.inflight, op, 'left');
      op = remote;
      if (this.buffer !== null) {
        const remote2 = transform(op, this.buffer, 'right');
        this.buffer = transform(this.buffer, op, 'left');
        op = remote2;
      }
    }
    this.text = apply(this.text, op);
    this.version = version;
    this.emit('remote', { version, op, clientId });
  }

  onAck(seq, version) {
    if (this.inflight === null || seq !== this.inflightSeq || version <= this.version) return;
    this.version = version;
    this.inflight = null;
    if (this.buffer !== null) {
      this.inflight = this.buffer;
      this.buffer = null;
      this.inflightSeq = ++this.seq;
      this.sendInflight();
    }
    this.emit('ack', { seq, version });
    this.emit('state', this.state);
  }

  onError(message) {
    this.emit('error', message);
    if (message.seq === undefined || this.inflight === null || message.seq !== this.inflightSeq) return;
    if (TRANSIENT.has(message.code)) {
      const seq = message.seq;
      setTimeout(() => {
        if (this.inflight !== null && this.inflightSeq === seq) this.sendInflight();
      }, message.retryAfterMs ?? 200);
      return;
    }
    // Refused for good: the local text can no longer be reconciled from deltas.
    this.fail(Object.assign(new Error(message.detail ?? message.code), { code: message.code }));
  }

  fail(error) {
    this.failure = error;
    this.emit('fail', error);
    this.emit('state', this.state);
    if (this.socket) this.closeSocket(this.socket);
  }

  sendInflight() {
    this.send({ type: 'op', baseVersion: this.version, op: this.inflight, clientId: this.clientId, seq: this.inflightSeq });
  }

  // Messages sent while disconnected are dropped: the in-flight op is resent on reconnect.
  send(message) {
    if (this.socket && this.socket.readyState === 1) this.socket.send(JSON.stringify(message));
  }
}
