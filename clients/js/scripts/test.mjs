// `npm test`: starts a node of this source tree (scripts/server.mjs), creates an app in its store with `stoa apps
// create`, runs node's test runner on test/ against it, and stops the node. The tests read the node's address and the
// app's key and secret from STOA_TEST_URL, STOA_TEST_API_KEY and STOA_TEST_SECRET. Extra arguments go to `node --test`
// (e.g. `npm test -- --test-name-pattern=quote`). STOA_TEST_SEED fixes the randomised tests' seed.
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startServer } from './server.mjs';

const testDir = fileURLToPath(new URL('../test/', import.meta.url));
const files = readdirSync(testDir).filter((f) => f.endsWith('.test.mjs')).map((f) => testDir + f);

const server = await startServer({
  // Many clients of one test run share an IP and a few users: the limits meant for the internet would throttle them.
  'RateLimits:Policies:default:Capacity': '100000',
  'RateLimits:Policies:default:TokensPerSecond': '100000',
  'RateLimits:Policies:writes:Capacity': '100000',
  'RateLimits:Policies:writes:TokensPerSecond': '100000',
  'Docs:OpsBurst': '100000',
  'Docs:OpsPerSecond': '100000',
  // The smallest page allowed, so that a session catching up is sent several pages.
  'Docs:ReadPageBytes': '65536',
});
let status = 1;
try {
  const app = JSON.parse(server.cli(['apps', 'create', 'js-client-tests', '--json']));
  const run = spawn(process.execPath, ['--test', '--test-concurrency=1', '--test-timeout=180000', ...process.argv.slice(2), ...files], {
    stdio: 'inherit',
    env: { ...process.env, STOA_TEST_URL: server.baseUrl, STOA_TEST_API_KEY: app.apiKey, STOA_TEST_SECRET: app.secret },
  });
  status = await new Promise((resolve) => run.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0))));
} catch (e) {
  console.error(e);
  console.error(server.log());
} finally {
  await server.stop();
}
process.exit(status);
