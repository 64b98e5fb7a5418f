// The event-stream parser on its own, fed byte chunks split at every awkward place: line endings of all three kinds
// (a CRLF split across chunks too), multi-line data, comments, ids that persist, retry advice, a UTF-8 character cut
// in two, and the size cap.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readEvents, StoaError } from '../dist/index.js';

const streamOf = (chunks) => new ReadableStream({
  start(controller) {
    for (const chunk of chunks) controller.enqueue(typeof chunk === 'string' ? new TextEncoder().encode(chunk) : chunk);
    controller.close();
  },
});

async function collect(chunks) {
  const events = [];
  const retries = [];
  for await (const event of readEvents(streamOf(chunks), (ms) => retries.push(ms))) events.push(event);
  return { events, retries };
}

const text = ': connected\r\nretry: 2000\r\n\r\nid: 7\r\nevent: comment.created\r\ndata: {"a":\r\ndata: "é👍🏽"}\r\n\r\n'
  + ': heartbeat\n\ndata: no id field\n\nid: 8\revent: comment.counts\rdata: x\r\rdata: last without a blank line';

test('events parse the same whatever the chunk boundaries', async () => {
  const bytes = new TextEncoder().encode(text);
  const expected = [
    { event: 'comment.created', data: '{"a":\n"é👍🏽"}', id: '7' },
    { event: 'message', data: 'no id field', id: '7' },
    { event: 'comment.counts', data: 'x', id: '8' },
  ];
  for (let size = 1; size <= bytes.length; size += size < 8 ? 1 : 7) {
    const chunks = [];
    for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.slice(i, i + size));
    const { events, retries } = await collect(chunks);
    assert.deepEqual(events, expected, `chunks of ${size} bytes`);
    assert.deepEqual(retries, [2000], `chunks of ${size} bytes`);
  }
});

test('an event over 1 MiB is refused instead of growing without bound', async () => {
  const line = `data: ${'x'.repeat(64 * 1024)}\n`;
  await assert.rejects(collect(Array.from({ length: 20 }, () => line)), (e) => e instanceof StoaError && e.code === 'event_too_large');
  await assert.rejects(collect(Array.from({ length: 20 }, () => 'y'.repeat(64 * 1024))), (e) => e instanceof StoaError && e.code === 'event_too_large');
});
