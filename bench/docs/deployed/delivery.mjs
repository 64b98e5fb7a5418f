// Submit→delivery at many subscribers, open loop (bench/docs/README.md, scenario c): one document, --subscribers
// sessions on it, and a writer that submits an op every 1/--rate s whatever happened to the previous ones (REST
// POST /ops, so that a slow answer does not delay the next op). Latency runs from each op's due time, not from when
// it was actually sent, so a stalled client or server shows up in the figure instead of slowing the schedule down.
// Ops due in the warm-up are not counted. Prints one JSON line.
//
//   node --experimental-websocket delivery.mjs --base URL --key KEY --secret SECRET [--subscribers 200] [--rate 50]
//        [--warmup 3] [--seconds 15]
import { Api, closeAll, countErrors, cpuWindow, latencySummary, openSessions, parseOptions, sleep } from './common.mjs';

const options = parseOptions(process.argv.slice(2), {
  base: undefined, key: undefined, secret: undefined, subscribers: 200, rate: 50, warmup: 3, seconds: 15, cpu: '', hz: 100,
});
const api = new Api(options, 'bench-writer');
const docId = await api.createDoc();
const sessions = await openSessions(options, Array.from({ length: options.subscribers }, (_, i) => ({ docId, userId: `sub${i}` })));
const errors = countErrors(sessions);
const deliveries = [];
for (const session of sessions) {
  session.on('remote', ({ version }) => deliveries.push(version, performance.now()));
}

const clientId = `writer-${process.pid}`;
const dueOf = new Map(); // version -> due time of the op committed there
const submitMs = [];
const refused = [];
let baseVersion = 0;
const total = Math.round(options.rate * (options.warmup + options.seconds));
const measuredFrom = performance.now() + options.warmup * 1000 + 1000 / options.rate;
const start = performance.now();
const pending = [];
let cpu = null;
for (let seq = 1; seq <= total; seq++) {
  const due = start + (seq * 1000) / options.rate;
  await sleep(due - performance.now());
  if (cpu === null && due >= measuredFrom) cpu = cpuWindow(options.cpu, options.hz);
  pending.push(api.request('POST', `/v1/docs/${docId}/ops`, { baseVersion, op: ['y'], clientId, seq }).then(({ body }) => {
    if (!body.duplicate) dueOf.set(body.version, due);
    baseVersion = Math.max(baseVersion, body.version);
    if (due >= measuredFrom) submitMs.push(performance.now() - due);
  }, (error) => refused.push(String(error))));
}
const window = cpu();
await Promise.all(pending);
// Give the last ops time to reach every subscriber.
await sleep(2000);
closeAll(sessions);

const latencies = [];
let measuredOps = 0;
for (const due of dueOf.values()) if (due >= measuredFrom) measuredOps++;
for (let i = 0; i < deliveries.length; i += 2) {
  const due = dueOf.get(deliveries[i]);
  if (due !== undefined && due >= measuredFrom) latencies.push(deliveries[i + 1] - due);
}
const { node } = await api.readDoc(docId);
console.log(JSON.stringify({
  subscribers: options.subscribers,
  rate: options.rate,
  ops: measuredOps,
  delivered: latencies.length,
  expected: measuredOps * options.subscribers,
  deliveryMs: latencySummary(latencies),
  submitMs: latencySummary(submitMs),
  node,
  errors,
  refused: refused.slice(0, 5),
  refusedCount: refused.length,
  window,
}));
process.exit(0);
