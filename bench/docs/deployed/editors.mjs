// Closed-loop editors (bench/docs/README.md, scenarios a and b): --docs documents with --editors sessions each, every
// session keeping one op in flight (edit, wait for its ack, edit again). Prints one JSON line: committed ops/s, counted
// as the acks the editors received during the measured seconds (the client takes an ack only for its op in flight
// and only with a new version, so duplicates and refused ops do not count), the submit→ack latencies of those ops,
// and as a check the versions the documents gained on the server over the same time (each document's gain over the
// time between its two reads, summed).
//
//   node --experimental-websocket editors.mjs --base URL --key KEY --secret SECRET [--docs 1] [--editors 20]
//        [--warmup 3] [--seconds 15] [--seed 20261206]
import { cpLength } from '../../../web/js/stoa-client.js';
import { Api, closeAll, countErrors, cpuWindow, latencySummary, mapLimited, openSessions, parseOptions, round, seeded, sleep } from './common.mjs';

const options = parseOptions(process.argv.slice(2), {
  base: undefined, key: undefined, secret: undefined, docs: 1, editors: 20, warmup: 3, seconds: 15, seed: 20261206, cpu: '', hz: 100,
});
const api = new Api(options);
const random = seeded(options.seed);

const docs = await mapLimited(Array.from({ length: options.docs }), 20, () => api.createDoc());
const pairs = docs.flatMap((docId, d) => Array.from({ length: options.editors }, (_, e) => ({ docId, userId: `ed${d}x${e}` })));
const sessions = await openSessions(options, pairs);
const errors = countErrors(sessions);

let stopped = false;
let measuring = false;
let acked = 0;
const latencies = [];
const failures = [];

async function edit(session) {
  while (!stopped) {
    // A small document keeps the clients' own OT work small next to the server's.
    const length = cpLength(session.text);
    const at = Math.floor(random() * (length + 1));
    const op = length > 200 ? [Math.min(at, length - 1), { d: 1 }] : [at, 'x'];
    const started = performance.now();
    try {
      session.submit(op[0] === 0 ? op.slice(1) : op);
      await session.whenSynchronized();
    } catch (error) {
      failures.push(String(error));
      return;
    }
    if (measuring) {
      latencies.push(performance.now() - started);
      acked++;
    }
  }
}

const readAll = () => mapLimited(docs, 50, async (id) => ({ ...(await api.readDoc(id)), at: performance.now() }));
const editing = sessions.map(edit);
await sleep(options.warmup * 1000);
const before = await readAll();
measuring = true;
const started = performance.now();
const cpu = cpuWindow(options.cpu, options.hz);
await sleep(options.seconds * 1000);
measuring = false;
const elapsed = (performance.now() - started) / 1000;
const window = cpu();
const after = await readAll();
stopped = true;
await Promise.race([Promise.all(editing), sleep(10_000)]);
closeAll(sessions);

const serverRate = after.reduce((sum, doc, i) => sum + (doc.version - before[i].version) / ((doc.at - before[i].at) / 1000), 0);
const perNode = {};
for (const doc of after) perNode[doc.node] = (perNode[doc.node] ?? 0) + 1;
console.log(JSON.stringify({
  docs: options.docs,
  editors: options.editors,
  seed: options.seed,
  seconds: round(elapsed, 2),
  acked,
  opsPerSecond: round(acked / elapsed, 0),
  serverOpsPerSecond: round(serverRate, 0),
  ackMs: latencySummary(latencies),
  docsPerNode: perNode,
  errors,
  failures: failures.slice(0, 5),
  window,
}));
process.exit(0);
