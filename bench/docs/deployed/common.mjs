// What the docs load clients share: options, tokens, the few REST calls, sessions, seeded randomness, percentiles.
// The sessions are the demo page's client itself (the TypeScript client's bundle, web/js/stoa-client.js) on node's
// WebSocket (node 20: --experimental-websocket), so the benchmark pays what a real client pays.
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { DocSession } from '../../../web/js/stoa-client.js';

/** `--name value` pairs; numbers where the default is a number. */
export function parseOptions(argv, defaults) {
  const options = { ...defaults };
  for (let i = 0; i < argv.length; i += 2) {
    const name = argv[i].replace(/^--/, '');
    if (!(name in defaults)) throw new Error(`unknown option --${name}`);
    options[name] = typeof defaults[name] === 'number' ? Number(argv[i + 1]) : argv[i + 1];
  }
  for (const [name, value] of Object.entries(options)) {
    if (value === undefined || Number.isNaN(value)) throw new Error(`--${name} is required`);
  }
  return options;
}

const base64url = (data) => Buffer.from(data).toString('base64url');

/** A user token signed with the app's secret, as the app's own backend would (HS256, docs/security.md). */
export function userToken(secret, userId) {
  const header = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const payload = base64url(JSON.stringify({ sub: userId, exp: Math.floor(Date.now() / 1000) + 3600 }));
  const signature = createHmac('sha256', secret).update(`${header}.${payload}`).digest('base64url');
  return `${header}.${payload}.${signature}`;
}

/** REST calls through the balancer, as one user. */
export class Api {
  constructor(options, userId = 'bench-owner') {
    this.base = options.base;
    this.headers = {
      'X-Api-Key': options.key,
      Authorization: `Bearer ${userToken(options.secret, userId)}`,
      'Content-Type': 'application/json',
    };
  }

  async request(method, path, body) {
    const response = await fetch(new URL(path, this.base), { method, headers: this.headers, body: body && JSON.stringify(body) });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text.slice(0, 200)}`);
    return { body: JSON.parse(text), node: response.headers.get('x-stoa-node') };
  }

  async createDoc() {
    return (await this.request('POST', '/v1/docs', { text: '' })).body.id;
  }

  /** The document's version and the node that answered (the one that orders it). */
  async readDoc(id) {
    const { body, node } = await this.request('GET', `/v1/docs/${id}`);
    return { version: body.version, node };
  }
}

/** Opens one session per (document, user) pair, `parallel` handshakes at a time, each waiting for its snapshot. */
export async function openSessions(options, pairs, parallel = 50) {
  const sessions = new Array(pairs.length);
  let next = 0;
  async function worker() {
    while (next < pairs.length) {
      const i = next++;
      const { docId, userId } = pairs[i];
      sessions[i] = await new DocSession({
        baseUrl: options.base,
        docId,
        apiKey: options.key,
        token: userToken(options.secret, userId),
        clientId: userId,
      }).open();
    }
  }
  await Promise.all(Array.from({ length: parallel }, worker));
  return sessions;
}

/** Runs `task` over the items, `parallel` at a time; results in the items' order. */
export async function mapLimited(items, parallel, task) {
  const results = new Array(items.length);
  let next = 0;
  await Promise.all(Array.from({ length: parallel }, async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await task(items[i], i);
    }
  }));
  return results;
}

/** mulberry32: a small seeded generator, so that a run can be repeated. */
export function seeded(seed) {
  let state = seed | 0;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** p50/p99/max of a list of milliseconds, rounded to 0.1 ms. */
export function latencySummary(values) {
  const sorted = Float64Array.from(values).sort();
  const at = (q) => (sorted.length === 0 ? null : round(sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]));
  return { count: sorted.length, p50: at(0.5), p99: at(0.99), max: sorted.length === 0 ? null : round(sorted[sorted.length - 1]) };
}

export const round = (value, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

/** Counts error messages by code across sessions. */
export function countErrors(sessions) {
  const errors = {};
  for (const session of sessions) {
    session.on('error', (message) => {
      errors[message.code] = (errors[message.code] ?? 0) + 1;
    });
  }
  return errors;
}

export function closeAll(sessions) {
  for (const session of sessions) session.close();
}

/**
 * CPU use over the measured window, from /proc: per group of processes (`name:pid+pid,name:^pid` from run.sh, where
 * `^pid` also takes the process's children, as PostgreSQL's backends are the postmaster's), in cores (CPU seconds per
 * second of the window), this client as `client`, and how busy the whole machine was, other people's work included.
 */
export function cpuWindow(spec, hz) {
  const groups = (spec ?? '').split(',').filter(Boolean).map((entry) => {
    const [name, pids] = entry.split(':');
    return { name, pids: pids.split('+').filter(Boolean) };
  });
  groups.push({ name: 'client', pids: [String(process.pid)] });
  const read = (path) => {
    try {
      return readFileSync(path, 'utf8');
    } catch {
      return null; // the process is gone
    }
  };
  const expand = (pid) => (pid.startsWith('^')
    ? [pid.slice(1), ...(read(`/proc/${pid.slice(1)}/task/${pid.slice(1)}/children`) ?? '').split(' ').filter(Boolean)]
    : [pid]);
  const ticks = (pid) => {
    const stat = read(`/proc/${pid}/stat`);
    if (stat === null) return 0;
    const fields = stat.replace(/^.*\) /, '').split(' ');
    // utime and stime only: a backend that exits hands its whole life's time to the postmaster (cutime), which would
    // count as spent in the window; what a process did before it exited is lost instead, a smaller error.
    return Number(fields[11]) + Number(fields[12]);
  };
  const machine = () => {
    const values = read('/proc/stat').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    return { idle: values[3] + values[4], total: values.reduce((a, b) => a + b, 0) };
  };
  const sample = () => ({
    at: performance.now(),
    machine: machine(),
    groups: groups.map((g) => new Map(g.pids.flatMap(expand).map((pid) => [pid, ticks(pid)]))),
  });
  const first = sample();
  return () => {
    const last = sample();
    const seconds = (last.at - first.at) / 1000;
    const cores = {};
    groups.forEach((g, i) => {
      let spent = 0;
      for (const [pid, value] of last.groups[i]) spent += value - (first.groups[i].get(pid) ?? 0);
      cores[g.name] = round(spent / hz / seconds, 2);
    });
    const total = last.machine.total - first.machine.total;
    return { seconds: round(seconds, 1), machineBusyPercent: round(100 * (1 - (last.machine.idle - first.machine.idle) / total), 0), cores };
  };
}
