// Compiled (not run) by scripts/check.mjs: typed calls that must compile, and wrong ones that must not. If the
// generated schema stopped describing a path, a parameter or a body, a line here fails the build.
import { createRestClient, ok, DocSession, QuoteStream, ThreadEvents, type Quote, type TextOp } from '../src/index.js';

const rest = createRestClient({ baseUrl: 'http://localhost:8080', apiKey: 'pk_x', token: () => 'jwt' });

export async function typedCalls(id: string): Promise<void> {
  const doc = await ok(rest.GET('/v1/docs/{id}', { params: { path: { id } } }));
  const text: string = String(doc.text);
  await ok(rest.POST('/v1/docs/{id}/ops', { params: { path: { id } }, body: { baseVersion: 0, op: [1, 'x'], clientId: 'c', seq: 1 } }));
  await ok(rest.GET('/v1/threads/{threadId}/comments', { params: { path: { threadId: 't' }, query: { sort: 'new', limit: 10 } } }));
  await ok(rest.GET('/v1/quotes', { params: { query: { symbols: 'AAPL,MSFT' } } }));

  // @ts-expect-error: no such path
  await rest.GET('/v1/nothing-here');
  // @ts-expect-error: the path parameter is required
  await rest.GET('/v1/docs/{id}', {});
  // @ts-expect-error: GET on a path that only takes PUT and DELETE
  await rest.GET('/v1/threads/{threadId}/lock', { params: { path: { threadId: 't' } } });

  const op: TextOp = [3, { d: 1 }, 'é'];
  const session = new DocSession({ baseUrl: 'http://localhost:8080', apiKey: 'pk_x', token: 'jwt', docId: id });
  session.submit(op);
  session.on('remote', (change) => change.op satisfies TextOp);
  // @ts-expect-error: not an event of a DocSession
  session.on('nothing', () => {});
  new QuoteStream({ baseUrl: '', apiKey: '', symbols: ['AAPL'] }).on('quote', (quote: Quote) => quote.seq);
  new ThreadEvents({ baseUrl: '', apiKey: '', threadId: 't' }).on('comment.counts', (counts) => counts.id);
  void text;
}
