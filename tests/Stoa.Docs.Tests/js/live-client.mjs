// Run by NodeClientTests: the page's client (web/js/stoa-client.js, the bundle of clients/js) against the real server, with node's WebSocket
// (node 20: --experimental-websocket). Usage: node live-client.mjs <baseUrl> <apiKey> <docId> <seed> <token>...
// Prints one JSON line: each client's clientId, version and text once all its edits are acknowledged.
import { DocSession, cpLength } from '../../../web/js/stoa-client.js';

const [baseUrl, apiKey, docId, seedText, ...tokens] = process.argv.slice(2);
let seed = Number(seedText);
const random = () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

setTimeout(() => {
  console.error('stuck:', JSON.stringify(clients?.map((c) => ({ id: c.clientId, v: c.version, state: c.state, connected: c.connected, failure: String(c.failure) }))));
  process.exit(3);
}, 30000).unref();
let clients = null;
clients = await Promise.all(tokens.map((token, i) =>
  new DocSession({ baseUrl, docId, apiKey, token, clientId: `js${i}`, reconnectDelayMs: 20 }).open()));
await Promise.all(clients.map(async (client) => {
  for (let e = 0; e < 40; e++) {
    const length = cpLength(client.text);
    const roll = random();
    if (roll < 0.6) {
      const at = Math.floor(random() * (length + 1));
      client.submit([at, ['x', 'é', '👍🏽', ' '][Math.floor(random() * 4)]].filter((c) => c !== 0));
    } else if (roll < 0.9 && length > 0) {
      const at = Math.floor(random() * length);
      client.submit([at, { d: 1 }].filter((c) => c !== 0));
    } else {
      client.dropConnection();
    }
    await sleep(Math.floor(random() * 6));
  }
  await client.whenSynchronized();
}));
console.log(JSON.stringify(clients.map((c) => ({ clientId: c.clientId, version: c.version, text: c.text }))));
for (const client of clients) client.close();
process.exit(0);
