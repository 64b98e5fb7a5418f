// Prints bench/docs/run.sh's results (one JSON line per measurement) as markdown: each scenario on 1 node and on
// 3 nodes side by side with the ratio, per round and as medians against the goals, then what each process spent.
//   node report.mjs RESULTS.jsonl
import { readFileSync } from 'node:fs';

const runs = readFileSync(process.argv[2], 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line));
const rounds = [...new Set(runs.map((r) => r.round))].sort((a, b) => a - b);
// 1 and 3 are the nodes behind haproxy with docs routing; 'rr' the three nodes without it (round robin).
const target = (r) => (r.routing === 'roundrobin' ? 'rr' : r.nodes);
const find = (scenario, t, round) => runs.find((r) => r.scenario === scenario && target(r) === t && r.round === round);
const median = (values) => {
  const sorted = values.filter((v) => v !== null && v !== undefined).sort((a, b) => a - b);
  if (sorted.length === 0) return null;
  const middle = (sorted.length - 1) / 2;
  return Math.round(((sorted[Math.floor(middle)] + sorted[Math.ceil(middle)]) / 2) * 10) / 10;
};
const number = (v, unit = '') => (v === null || v === undefined ? '–' : `${v.toLocaleString('en-US')}${unit}`);
const ratio = (three, one) => (three && one ? `${(three / one).toFixed(2)}×` : '–');

// What the nodes got done per CPU second they were given: on a shared machine the scheduler decides how much CPU each
// process gets, and this shows whether a difference in ops/s comes from the work or from that share.
const perNodeCore = (r) => {
  const cores = ['node1', 'node2', 'node3'].reduce((sum, n) => sum + (r.window?.cores?.[n] ?? 0), 0);
  return cores > 0 ? Math.round(r.opsPerSecond / cores) : null;
};

const rows = [
  { scenario: 'a', what: 'a) one document, 20 editors: committed ops/s', value: (r) => r.opsPerSecond, goal: '3 nodes ≥ 1.0× 1 node', ok: (one, three) => three / one >= 1.0, ratio: true },
  { scenario: 'a', what: 'a) one document, 20 editors: p99 submit→ack', value: (r) => r.ackMs.p99, unit: ' ms', goal: '3 nodes ≤ 50 ms', ok: (one, three) => three <= 50 },
  { scenario: 'a', what: 'a) one document, 20 editors: ops per CPU second of the nodes', value: perNodeCore, goal: '', ok: null, ratio: true },
  { scenario: 'b', what: 'b) 200 documents × 5 editors: committed ops/s', value: (r) => r.opsPerSecond, goal: '3 nodes ≥ 2× 1 node', ok: (one, three) => three / one >= 2, ratio: true },
  { scenario: 'b', what: 'b) 200 documents × 5 editors: p99 submit→ack', value: (r) => r.ackMs.p99, unit: ' ms', goal: '', ok: null },
  { scenario: 'b', what: 'b) 200 documents × 5 editors: ops per CPU second of the nodes', value: perNodeCore, goal: '', ok: null, ratio: true },
  { scenario: 'c', what: 'c) submit→delivery p99, 200 subscribers, open loop', value: (r) => r.deliveryMs.p99, unit: ' ms', goal: '3 nodes ≤ 50 ms', ok: (one, three) => three <= 50 },
];

console.log('| what | round | 1 node | 3 nodes | 3 nodes / 1 node | 3 nodes, no docs routing |');
console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
for (const row of rows) {
  for (const round of rounds) {
    const [one, three, rr] = [1, 3, 'rr'].map((t) => find(row.scenario, t, round));
    if (!one && !three) continue;
    const [a, b, c] = [one, three, rr].map((r) => (r ? row.value(r) : null));
    console.log(`| ${row.what} | ${round} | ${number(a, row.unit)} | ${number(b, row.unit)} | ${row.ratio ? ratio(b, a) : ''} | ${number(c, row.unit)} |`);
  }
}

console.log('\nMedians over the rounds:\n');
console.log('| what | 1 node | 3 nodes | 3 nodes / 1 node | 3 nodes, no docs routing | goal | met |');
console.log('| --- | ---: | ---: | ---: | ---: | --- | --- |');
for (const row of rows) {
  const [one, three, rr] = [1, 3, 'rr'].map((t) => median(runs.filter((r) => r.scenario === row.scenario && target(r) === t).map(row.value)));
  if (one === null && three === null) continue;
  const met = row.ok && one !== null && three !== null ? (row.ok(one, three) ? 'yes' : '**no**') : '';
  console.log(`| ${row.what} | ${number(one, row.unit)} | ${number(three, row.unit)} | ${row.ratio ? ratio(three, one) : ''} | ${number(rr, row.unit)} | ${row.goal} | ${met} |`);
}

console.log('\nPer measurement, over its measured seconds: the cores each process used (CPU seconds per second; the machine');
console.log('has 2), how busy the whole machine was (other work on it included), unique-key violations PostgreSQL logged');
console.log('(nodes racing for a version), where the documents were ordered, and anything refused:\n');
console.log('| scenario | nodes | round | node1 | node2 | node3 | postgres | redis | haproxy | client | machine busy | unique violations | docs per node | load before | notes |');
console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- | --- |');
for (const r of runs) {
  const cores = r.window?.cores ?? {};
  const placement = r.docsPerNode ? Object.entries(r.docsPerNode).map(([n, c]) => `${n} ${c}`).join(', ') : r.node ?? '';
  const notes = [
    r.acked !== undefined ? `${r.acked} acks; the server counted ${r.serverOpsPerSecond} ops/s` : '',
    r.delivered !== undefined ? `${r.delivered}/${r.expected} delivered, writer p99 ${r.submitMs.p99} ms` : '',
    Object.keys(r.errors ?? {}).length ? `errors ${JSON.stringify(r.errors)}` : '',
    r.failures?.length ? `failures ${r.failures.join('; ')}` : '',
    r.refusedCount ? `${r.refusedCount} refused: ${r.refused.join('; ')}` : '',
  ].filter(Boolean).join('; ');
  const c = (name) => cores[name] ?? '';
  console.log(`| ${r.scenario} | ${r.nodes}${r.routing === 'roundrobin' ? ', no routing' : ''} | ${r.round} | ${c('node1')} | ${c('node2')} | ${c('node3')} | ${c('postgres')} | ${c('redis')} | ${c('haproxy')} | ${c('client')} | ${r.window?.machineBusyPercent ?? ''} % | ${r.uniqueViolations} | ${placement} | ${r.loadBefore} | ${notes} |`);
}
