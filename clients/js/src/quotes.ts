// The quote stream (GET /v1/quotes/stream, Server-Sent Events; docs/quotes.md). Quotes are "latest value" data: the
// stream's events carry no ids, and a reconnecting stream is sent the current quote of every symbol again. So after
// a loss the client reconnects (with backoff) and keeps, per symbol, only quotes with a greater `seq` than the one it
// has: a resent current quote is not reported twice, and one that changed meanwhile is.
import { Emitter } from './emitter.js';
import type { StoaError } from './errors.js';
import type { ReconnectOptions, StoaOptions } from './options.js';
import type { Quote } from './rest.js';
import { EventStream } from './sse.js';

export interface QuoteStreamEvents {
  quote: Quote;
  /** Connected (`true`, again after a loss) or lost (`false`, reconnecting). */
  live: boolean;
  fail: StoaError;
}

export interface QuoteStreamOptions extends StoaOptions, ReconnectOptions {
  /** At most 100 symbols of `A-Z 0-9 . -` (1–10 characters). */
  symbols: readonly string[];
}

export class QuoteStream extends Emitter<QuoteStreamEvents> {
  /** The newest quote seen per symbol (upper case). */
  readonly latest = new Map<string, Quote>();
  readonly #stream: EventStream;

  constructor(options: QuoteStreamOptions) {
    super();
    const symbols = options.symbols.map((s) => s.trim().toUpperCase()).filter(Boolean).join(',');
    this.#stream = new EventStream(() => `/v1/quotes/stream?symbols=${encodeURIComponent(symbols)}`, options);
    this.#stream.on('open', () => this.emit('live', true));
    this.#stream.on('disconnected', () => this.emit('live', false));
    this.#stream.on('fail', (error) => this.emit('fail', error));
    this.#stream.on('event', (event) => {
      if (event.event !== 'quote') return;
      let quote: Quote;
      try {
        quote = JSON.parse(event.data) as Quote;
      } catch {
        return;
      }
      const symbol = String(quote.symbol);
      const known = this.latest.get(symbol);
      if (known && Number(known.seq) >= Number(quote.seq)) return;
      this.latest.set(symbol, quote);
      this.emit('quote', quote);
    });
  }

  /** Starts streaming; quotes arrive through `on('quote')`. */
  start(): this {
    this.#stream.start();
    return this;
  }

  get failure(): StoaError | null {
    return this.#stream.failure;
  }

  /** Drops the connection as a network failure would; the stream reconnects by itself. */
  dropConnection(): void {
    this.#stream.dropConnection();
  }

  close(): void {
    this.#stream.close();
  }
}
