// A live session on one document over the docs WebSocket (docs/docs-protocol.md), the client state machine the .NET
// client (src/Stoa.Client/DocSession.cs) also implements:
//   synchronized        nothing in flight
//   awaitingConfirm     one op sent, waiting for its ack
//   awaitingWithBuffer  one op in flight, later local edits composed into a buffer, sent after the ack
// Remote ops are transformed past the in-flight op and then the buffer. The text is rebuilt from deltas only: one
// snapshot when the session opens, then ops. After a lost connection the session reconnects with from=<version>; the
// server pages what it missed into the socket (its own in-flight op, if committed, arrives as its ack in that stream)
// and the in-flight op is resent with the same clientId and seq, which the server acknowledges without applying twice.
import { Emitter } from './emitter.js';
import { StoaError } from './errors.js';
import { apply, compose, diff, isNoop, transform, type TextOp } from './ot.js';
import { Backoff, currentCredentials, nodeUrl, type ReconnectOptions, type StoaOptions } from './options.js';

/** What the session needs of a WebSocket: the browser's, or node's `ws` package (node 20 has no global one). */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: { code?: number; reason?: string }) => void) | null;
  onerror: ((event: unknown) => void) | null;
}

export type WebSocketConstructor = new (url: string) => WebSocketLike;

export type DocSessionState = 'synchronized' | 'awaitingConfirm' | 'awaitingWithBuffer';

export interface RemoteChange { version: number; op: TextOp; clientId: string; userId?: string }
export interface Acknowledgement { seq: number; version: number }
export interface Presence { clientId: string; userId: string; cursor: number | null; online: boolean }
export interface SessionErrorMessage { code: string; detail?: string; seq?: number; retryAfterMs?: number }

export interface DocSessionEvents {
  /** The snapshot arrived: the session follows the document. */
  open: DocSession;
  /** A remote op, after it was applied to `text` (already transformed past the local edits). */
  remote: RemoteChange;
  ack: Acknowledgement;
  presence: Presence;
  /** The server refused a message; transient refusals of an op are resent by the session itself. */
  error: SessionErrorMessage;
  state: DocSessionState;
  /** The session stopped following the document for good; `failure` holds the same error. */
  fail: Error;
  /** A socket opened (`true`) or was lost (`false`). */
  connection: boolean;
}

export interface DocSessionOptions extends StoaOptions, ReconnectOptions {
  docId: string;
  /** 1–64 of `A-Z a-z 0-9 - _ .`, unique per editing session; random when omitted. */
  clientId?: string;
  /** Defaults to `globalThis.WebSocket` (browsers); pass `ws`'s `WebSocket` in node 20. */
  WebSocket?: WebSocketConstructor;
}

// Refusals of an op that a later resend (same seq) can get past.
const TRANSIENT = new Set(['rate_limited', 'doc_busy', 'store_busy', 'internal_error']);
// Close reasons (with code 1008) after which reconnecting cannot help.
const FATAL_CLOSE_REASONS = new Set(['doc_forbidden', 'doc_not_found', 'version_too_old']);
// Some WebSocket implementations (node's undici among them) can stay in CLOSING when closed while still connecting.
const CLOSE_GIVE_UP_MS = 3000;
const OPEN = 1;
const CONNECTING = 0;

interface Connection { socket: WebSocketLike; opened: boolean; closeWhenOpen: boolean; finished: boolean }

export class DocSession extends Emitter<DocSessionEvents> {
  readonly clientId: string;
  readonly docId: string;
  /** The local text: the server's version plus the local edits not yet acknowledged. */
  text = '';
  /** The last server version this session has applied. */
  version = 0;
  /** Set when the session stopped following the document. */
  failure: Error | null = null;

  readonly #options: DocSessionOptions;
  readonly #backoff: Backoff;
  #inflight: TextOp | null = null;
  #inflightSeq = 0;
  #buffer: TextOp | null = null;
  #seq = 0;
  #hasSnapshot = false;
  #connection: Connection | null = null;
  #closed = false;

  constructor(options: DocSessionOptions) {
    super();
    this.#options = options;
    this.#backoff = new Backoff(options);
    this.docId = options.docId;
    this.clientId = options.clientId ?? 'js' + Math.random().toString(36).slice(2, 14);
  }

  /** Opens a session and resolves once the snapshot arrived. */
  static open(options: DocSessionOptions): Promise<DocSession> {
    return new DocSession(options).open();
  }

  get state(): DocSessionState {
    if (this.#inflight === null) return 'synchronized';
    return this.#buffer === null ? 'awaitingConfirm' : 'awaitingWithBuffer';
  }

  get connected(): boolean {
    return this.#connection?.socket.readyState === OPEN;
  }

  /** Connects and resolves once the snapshot arrived (rejects when the session cannot open). */
  open(): Promise<this> {
    return new Promise((resolvePromise, reject) => {
      const offOpen = this.on('open', () => {
        offOpen();
        offFail();
        resolvePromise(this);
      });
      const offFail = this.on('fail', (error) => {
        offOpen();
        offFail();
        reject(error);
      });
      this.#connect();
    });
  }

  /** Applies a local edit (made on `text`) at once and sends it when the state machine allows. */
  submit(op: TextOp): void {
    if (this.failure) throw this.failure;
    if (isNoop(op)) return;
    this.text = apply(this.text, op);
    if (this.#inflight === null) {
      this.#inflight = op;
      this.#inflightSeq = ++this.#seq;
      this.#sendInflight();
    } else {
      this.#buffer = this.#buffer === null ? op : compose(this.#buffer, op);
    }
    this.emit('state', this.state);
  }

  /** Replaces the whole text (what a text field's input event gives) as one minimal edit. */
  replace(newText: string): void {
    this.submit(diff(this.text, newText));
  }

  /** Tells the others where this client's cursor is (a code point position in `text`). */
  moveCursor(position: number): void {
    this.#send({ type: 'cursor', position: Math.max(0, Math.floor(position)) });
  }

  /** Resolves when every local edit is acknowledged; rejects if the session fails first. */
  whenSynchronized(): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.#inflight === null) return Promise.resolve();
    return new Promise((resolvePromise, reject) => {
      const off = this.on('state', (state) => {
        if (this.failure) {
          off();
          reject(this.failure);
        } else if (state === 'synchronized') {
          off();
          resolvePromise();
        }
      });
    });
  }

  /** Drops the connection as a network failure would; the session reconnects by itself (for tests and demos). */
  dropConnection(): void {
    if (this.#connection) this.#closeSocket(this.#connection);
  }

  close(): void {
    this.#closed = true;
    if (this.#connection) this.#closeSocket(this.#connection, 1000, 'bye');
  }

  #closeSocket(connection: Connection, code?: number, reason?: string): void {
    if (connection.socket.readyState === CONNECTING) {
      connection.closeWhenOpen = true;
    } else {
      connection.socket.close(code, reason);
    }
    const timer = setTimeout(() => this.#finish(connection), CLOSE_GIVE_UP_MS) as unknown as { unref?: () => void };
    timer.unref?.();
  }

  #liveUrl(): string {
    const url = nodeUrl(this.#options, `/v1/docs/${encodeURIComponent(this.docId)}/live`);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    url.searchParams.set('clientId', this.clientId);
    // Browsers cannot put headers on a WebSocket: the endpoint takes the credentials as query parameters.
    const { apiKey, token } = currentCredentials(this.#options);
    if (apiKey) url.searchParams.set('api_key', apiKey);
    if (token) url.searchParams.set('access_token', token);
    if (this.#hasSnapshot) url.searchParams.set('from', String(this.version));
    return url.toString();
  }

  #connect(): void {
    if (this.#closed || this.failure) return;
    const Socket = this.#options.WebSocket ?? (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
    if (!Socket) {
      this.#fail(new StoaError(0, 'websocket_unavailable', 'No WebSocket here: pass options.WebSocket (npm ws in node 20).'));
      return;
    }
    let socket: WebSocketLike;
    try {
      socket = new Socket(this.#liveUrl());
    } catch (e) {
      this.#fail(e instanceof Error ? e : new Error(String(e)));
      return;
    }
    const connection: Connection = { socket, opened: false, closeWhenOpen: false, finished: false };
    this.#connection = connection;
    socket.onopen = () => {
      connection.opened = true;
      if (connection.closeWhenOpen) {
        socket.close();
        return;
      }
      this.#backoff.reset();
      this.emit('connection', true);
      // The in-flight op may or may not have been committed: resend it with its seq; the server dedupes.
      if (this.#inflight !== null) this.#sendInflight();
    };
    socket.onmessage = (event) => {
      if (this.#connection !== connection) return;
      let message: ServerMessage;
      try {
        message = JSON.parse(typeof event.data === 'string' ? event.data : String(event.data)) as ServerMessage;
      } catch {
        // Not the protocol: a reconnect starts over from a known version.
        this.dropConnection();
        return;
      }
      this.#handle(message);
    };
    socket.onclose = (event) => {
      // Refused for a reason a reconnect cannot mend (access revoked, document gone, version compacted away).
      if (event?.code === 1008 && event.reason && FATAL_CLOSE_REASONS.has(event.reason) && this.#connection === connection) {
        this.#connection = null;
        this.#fail(new StoaError(0, event.reason, `The server closed the session: ${event.reason}`));
        return;
      }
      this.#finish(connection);
    };
    socket.onerror = () => {
      // onclose follows and decides.
    };
  }

  #finish(connection: Connection): void {
    if (connection.finished) return;
    connection.finished = true;
    if (this.#connection !== connection) return;
    this.#connection = null;
    if (connection.opened) this.emit('connection', false);
    if (this.#closed || this.failure) return;
    // A handshake that never succeeded, again and again, before any snapshot: a browser cannot read why (the refusal's
    // problem+json never reaches the page), so give up with a code; GET /v1/docs/{id} tells the reason.
    if (!connection.opened && !this.#hasSnapshot && this.#backoff.exhausted) {
      this.#fail(new StoaError(0, 'doc_session_refused', 'Cannot open the document session'));
      return;
    }
    const wait = this.#backoff.next();
    setTimeout(() => this.#connect(), wait);
  }

  #handle(message: ServerMessage): void {
    switch (message.type) {
      case 'snapshot':
        if (!this.#hasSnapshot) {
          this.text = message.text;
          this.version = message.version;
          this.#hasSnapshot = true;
          this.emit('open', this);
        }
        break;
      case 'op':
        this.#onRemoteOp(message);
        break;
      case 'ack':
        this.#onAck(message.seq, message.version);
        break;
      case 'presence':
        this.emit('presence', { clientId: message.clientId, userId: message.userId, cursor: message.cursor ?? null, online: message.online });
        break;
      case 'error':
        this.#onError(message);
        break;
    }
  }

  #onRemoteOp(message: OpMessage): void {
    const { version, clientId, userId } = message;
    let op = message.op;
    if (version <= this.version) return;
    if (version !== this.version + 1) {
      // Never expected (the server sends in order): reconnecting from our version repairs it.
      this.dropConnection();
      return;
    }
    if (this.#inflight !== null) {
      const remote = transform(op, this.#inflight, 'right');
      this.#inflight = transform(this.#inflight, op, 'left');
      op = remote;
      if (this.#buffer !== null) {
        const remote2 = transform(op, this.#buffer, 'right');
        this.#buffer = transform(this.#buffer, op, 'left');
        op = remote2;
      }
    }
    this.text = apply(this.text, op);
    this.version = version;
    this.emit('remote', { version, op, clientId, ...(userId === undefined ? {} : { userId }) });
  }

  #onAck(seq: number, version: number): void {
    if (this.#inflight === null || seq !== this.#inflightSeq || version <= this.version) return;
    this.version = version;
    this.#inflight = null;
    if (this.#buffer !== null) {
      this.#inflight = this.#buffer;
      this.#buffer = null;
      this.#inflightSeq = ++this.#seq;
      this.#sendInflight();
    }
    this.emit('ack', { seq, version });
    this.emit('state', this.state);
  }

  #onError(message: ErrorMessage): void {
    this.emit('error', message);
    if (message.seq === undefined || this.#inflight === null || message.seq !== this.#inflightSeq) return;
    if (TRANSIENT.has(message.code)) {
      const seq = message.seq;
      setTimeout(() => {
        if (this.#inflight !== null && this.#inflightSeq === seq) this.#sendInflight();
      }, message.retryAfterMs ?? 200);
      return;
    }
    // Refused for good: the local text can no longer be reconciled from deltas.
    this.#fail(new StoaError(0, message.code, message.detail));
  }

  #fail(error: Error): void {
    if (this.failure) return;
    this.failure = error;
    this.emit('fail', error);
    this.emit('state', this.state);
    if (this.#connection) this.#closeSocket(this.#connection);
  }

  #sendInflight(): void {
    this.#send({ type: 'op', baseVersion: this.version, op: this.#inflight, clientId: this.clientId, seq: this.#inflightSeq });
  }

  // Messages sent while disconnected are dropped: the in-flight op is resent on reconnect.
  #send(message: object): void {
    const socket = this.#connection?.socket;
    if (socket && socket.readyState === OPEN) socket.send(JSON.stringify(message));
  }
}

// The server's messages (src/Stoa.Docs.Protocol/DocMessages.cs).
interface SnapshotMessage { type: 'snapshot'; version: number; text: string }
interface OpMessage { type: 'op'; version: number; op: TextOp; clientId: string; userId?: string }
interface AckMessage { type: 'ack'; seq: number; version: number }
interface PresenceMessage { type: 'presence'; clientId: string; userId: string; cursor?: number | null; online: boolean }
interface ErrorMessage extends SessionErrorMessage { type: 'error' }
type ServerMessage = SnapshotMessage | OpMessage | AckMessage | PresenceMessage | ErrorMessage;
