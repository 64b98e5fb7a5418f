// @stoa/client: typed REST calls generated from Stoa's OpenAPI document, plus the realtime parts written by hand
// (docs sessions over OT, the quote stream, comment thread events), each reconnecting by itself.
export { createRestClient, ok, docOpsSince } from './rest.js';
export type { RestClient, JsonOf, Quote, Comment, CommentCounts, DocOp, paths, components } from './rest.js';
export { DocSession } from './docs-session.js';
export type {
  DocSessionOptions, DocSessionEvents, DocSessionState, RemoteChange, Acknowledgement, Presence, SessionErrorMessage,
  WebSocketLike, WebSocketConstructor,
} from './docs-session.js';
export { QuoteStream } from './quotes.js';
export type { QuoteStreamOptions, QuoteStreamEvents } from './quotes.js';
export { ThreadEvents } from './comments.js';
export type { ThreadEventsOptions, ThreadEventsEvents } from './comments.js';
export { EventStream, readEvents } from './sse.js';
export type { ServerSentEvent, EventStreamOptions, EventStreamEvents } from './sse.js';
export { StoaError } from './errors.js';
export type { StoaOptions, Provider, ReconnectOptions } from './options.js';
export * as ot from './ot.js';
export { apply, transform, compose, normalize, transformPosition, isNoop, cpLength, toUtf16Index, fromUtf16Index, diff } from './ot.js';
export type { TextOp, TextOpComponent } from './ot.js';
