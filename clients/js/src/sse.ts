// Server-Sent Events over fetch, in browsers and in node (which has no EventSource): fetch can send the API key as a
// header, read a refusal's problem+json (EventSource sees neither), and resume with Last-Event-ID on our schedule.
// The parser follows the WHATWG event-stream rules: fields `event`, `data`, `id`, `retry`; comments (`: heartbeat`)
// ignored; an event is dispatched at a blank line.
import { Emitter } from './emitter.js';
import { StoaError, isTransientStatus } from './errors.js';
import { Backoff, credentialHeaders, nodeUrl, type ReconnectOptions, type StoaOptions } from './options.js';

export interface ServerSentEvent { event: string; data: string; id: string | undefined }

// One event's data may not grow past this: a stream that never sends a blank line cannot fill the client's memory.
const MAX_EVENT_BYTES = 1 << 20;

/** Splits a byte stream into events. `onRetry` gets the server's reconnection delay when it sends one. */
export async function* readEvents(body: ReadableStream<Uint8Array>, onRetry?: (ms: number) => void): AsyncGenerator<ServerSentEvent> {
  const decoder = new TextDecoder();
  const reader = body.getReader();
  let pending = '';
  let event = '';
  let data: string[] = [];
  let dataLength = 0;
  let id: string | undefined;
  try {
    while (true) {
      const { done, value } = await reader.read();
      if (done) return;
      pending += decoder.decode(value, { stream: true });
      let start = 0;
      for (let i = 0; i < pending.length; i++) {
        const c = pending.charCodeAt(i);
        if (c !== 10 && c !== 13) continue;
        // A CR at the very end may be the first half of CRLF: wait for the next chunk.
        if (c === 13 && i + 1 === pending.length) break;
        const line = pending.slice(start, i);
        if (c === 13 && pending.charCodeAt(i + 1) === 10) i++;
        start = i + 1;
        if (line === '') {
          if (data.length > 0) yield { event: event || 'message', data: data.join('\n'), id };
          event = '';
          data = [];
          dataLength = 0;
          continue;
        }
        if (line.startsWith(':')) continue;
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        let value = colon < 0 ? '' : line.slice(colon + 1);
        if (value.startsWith(' ')) value = value.slice(1);
        if (field === 'data') {
          dataLength += value.length;
          if (dataLength > MAX_EVENT_BYTES) throw new StoaError(0, 'event_too_large', 'An event exceeded 1 MiB');
          data.push(value);
        } else if (field === 'event') {
          event = value;
        } else if (field === 'id' && !value.includes('\0')) {
          id = value;
        } else if (field === 'retry' && /^\d+$/.test(value)) {
          onRetry?.(Number(value));
        }
      }
      pending = pending.slice(start);
      if (pending.length > MAX_EVENT_BYTES) throw new StoaError(0, 'event_too_large', 'A line exceeded 1 MiB');
    }
  } finally {
    reader.releaseLock();
  }
}

export interface EventStreamEvents {
  /** Connected (again): the server answered 200 and events follow. */
  open: { reconnected: boolean };
  event: ServerSentEvent;
  /** The connection was lost; a reconnect is scheduled after `retryInMs`. */
  disconnected: { error: unknown; retryInMs: number };
  /** The server refused the stream for good (a 4xx other than 408/429): no more reconnects. */
  fail: StoaError;
}

export interface EventStreamOptions extends StoaOptions, ReconnectOptions {
  /** Send the last event id seen as Last-Event-ID when reconnecting (streams whose events carry ids). */
  resume?: boolean;
}

/** One SSE endpoint, kept open: reconnects with backoff after any loss, until closed or refused for good. */
export class EventStream extends Emitter<EventStreamEvents> {
  /** The id of the last event received (sent back as Last-Event-ID when `resume` is on). */
  lastEventId: string | undefined;
  failure: StoaError | null = null;

  readonly #path: () => string;
  readonly #options: EventStreamOptions;
  readonly #backoff: Backoff;
  #abort: AbortController | null = null;
  #closed = false;
  #started = false;
  #connectedOnce = false;

  constructor(path: () => string, options: EventStreamOptions) {
    super();
    this.#path = path;
    this.#options = options;
    this.#backoff = new Backoff(options, 500, 15_000);
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Starts the stream (idempotent); events arrive through `on('event')`. */
  start(): this {
    if (!this.#started) {
      this.#started = true;
      void this.#run();
    }
    return this;
  }

  /** Drops the current connection as a network failure would; the stream reconnects by itself. */
  dropConnection(): void {
    this.#abort?.abort();
  }

  close(): void {
    this.#closed = true;
    this.#abort?.abort();
  }

  async #run(): Promise<void> {
    const fetchFn = this.#options.fetch ?? globalThis.fetch.bind(globalThis);
    while (!this.#closed) {
      const abort = new AbortController();
      this.#abort = abort;
      let error: unknown = null;
      try {
        const headers: Record<string, string> = { ...credentialHeaders(this.#options), Accept: 'text/event-stream' };
        if (this.#options.resume && this.lastEventId !== undefined) headers['Last-Event-ID'] = this.lastEventId;
        const response = await fetchFn(nodeUrl(this.#options, this.#path()), { headers, signal: abort.signal, cache: 'no-store' });
        if (!response.ok || !response.body) {
          const refusal = await StoaError.fromResponse(response);
          if (!isTransientStatus(response.status)) {
            this.#fail(refusal);
            return;
          }
          throw refusal;
        }
        this.#backoff.reset();
        this.emit('open', { reconnected: this.#connectedOnce });
        this.#connectedOnce = true;
        for await (const event of readEvents(response.body, (ms) => this.#serverRetry(ms))) {
          if (event.id !== undefined) this.lastEventId = event.id;
          this.emit('event', event);
        }
        error = new StoaError(0, 'stream_ended', 'The server ended the stream');
      } catch (e) {
        error = e;
      } finally {
        abort.abort();
      }
      if (this.#closed) return;
      const retryInMs = this.#backoff.next();
      this.emit('disconnected', { error, retryInMs });
      await new Promise((r) => setTimeout(r, retryInMs));
    }
  }

  // The server's `retry:` is where the backoff starts, unless the caller chose a delay.
  #serverRetry(ms: number): void {
    if (this.#options.reconnectDelayMs === undefined) this.#backoff.startAt(ms);
  }

  #fail(error: StoaError): void {
    this.failure = error;
    this.#closed = true;
    this.emit('fail', error);
  }
}
