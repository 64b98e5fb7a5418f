// `npm run check`, what CI (scripts/test) runs: the schema types match the OpenAPI document a node of this tree
// serves, the sources compile (with test/typed-calls.ts, whose wrong calls must not), the page's bundle matches the
// sources, and the tests pass against a live node. Stops at the first failure.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const steps = [
  ['schema types match the OpenAPI document', ['scripts/generate.mjs', '--check']],
  ['build (tsc)', ['scripts/build.mjs']],
  ['typed calls compile, wrong ones do not', ['node_modules/typescript/bin/tsc', '-p', 'test/tsconfig.json']],
  ['web/js/stoa-client.js matches the sources', ['scripts/bundle.mjs', '--check']],
  ['tests against a live node', ['scripts/test.mjs']],
];
for (const [name, args] of steps) {
  console.log(`clients/js: ${name}`);
  const result = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`clients/js: FAILED: ${name}`);
    process.exit(1);
  }
}
