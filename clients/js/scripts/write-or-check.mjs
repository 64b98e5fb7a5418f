// The generated files that are checked in (the schema types, the page's bundle) are written by their script, or,
// with --check (CI), compared with what is checked in: a stale file fails with the command that refreshes it.
import { readFileSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { repoRoot } from './server.mjs';

export function writeOrCheck(target, content, refresh) {
  const name = relative(repoRoot, target);
  let current = '';
  try {
    current = readFileSync(target, 'utf8');
  } catch {
    // No file yet.
  }
  if (process.argv.includes('--check')) {
    if (current !== content) {
      console.error(`${name} is stale: run \`${refresh}\` in clients/js and commit it.`);
      process.exit(1);
    }
    console.log(`${name} is up to date`);
  } else if (current !== content) {
    writeFileSync(target, content);
    console.log(`wrote ${name}`);
  } else {
    console.log(`${name} is up to date`);
  }
}
