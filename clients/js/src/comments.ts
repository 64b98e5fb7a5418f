// A thread's live events (GET /v1/threads/{threadId}/events, Server-Sent Events; docs/comments.md). Each event has an
// id: after a loss the client reconnects (with backoff) sending the last one as Last-Event-ID, and the server replays
// what was missed, or sends `reload` when its history no longer reaches back (then list the thread again).
import { Emitter } from './emitter.js';
import type { StoaError } from './errors.js';
import type { ReconnectOptions, StoaOptions } from './options.js';
import type { Comment, CommentCounts } from './rest.js';
import { EventStream } from './sse.js';

export interface ThreadEventsEvents {
  'comment.created': Comment;
  /** An edit or a deletion (`deleted: true`). */
  'comment.updated': Comment;
  /** Counters changed (votes, likes, replies). Events carry no viewer state (`myVote`, `liked`). */
  'comment.counts': CommentCounts;
  /** The stream could not replay what was missed: reload the listing. */
  reload: void;
  /** Connected (`reconnected: true` after a loss, when missed events were replayed first). */
  live: { reconnected: boolean };
  /** Lost; reconnecting. */
  offline: void;
  fail: StoaError;
}

export interface ThreadEventsOptions extends StoaOptions, ReconnectOptions {
  threadId: string;
}

export class ThreadEvents extends Emitter<ThreadEventsEvents> {
  readonly threadId: string;
  readonly #stream: EventStream;

  constructor(options: ThreadEventsOptions) {
    super();
    this.threadId = options.threadId;
    this.#stream = new EventStream(() => `/v1/threads/${encodeURIComponent(options.threadId)}/events`, { ...options, resume: true });
    this.#stream.on('open', (open) => this.emit('live', open));
    this.#stream.on('disconnected', () => this.emit('offline', undefined));
    this.#stream.on('fail', (error) => this.emit('fail', error));
    this.#stream.on('event', (event) => {
      let payload: { comment?: Comment; counts?: CommentCounts };
      try {
        payload = JSON.parse(event.data) as typeof payload;
      } catch {
        return;
      }
      switch (event.event) {
        case 'comment.created':
        case 'comment.updated':
          if (payload.comment) this.emit(event.event, payload.comment);
          break;
        case 'comment.counts':
          if (payload.counts) this.emit('comment.counts', payload.counts);
          break;
        case 'reload':
          this.emit('reload', undefined);
          break;
      }
    });
  }

  /** The id of the last event received: where a reconnect resumes. */
  get lastEventId(): string | undefined {
    return this.#stream.lastEventId;
  }

  get failure(): StoaError | null {
    return this.#stream.failure;
  }

  start(): this {
    this.#stream.start();
    return this;
  }

  /** Drops the connection as a network failure would; the stream reconnects and resumes by itself. */
  dropConnection(): void {
    this.#stream.dropConnection();
  }

  close(): void {
    this.#stream.close();
  }
}
