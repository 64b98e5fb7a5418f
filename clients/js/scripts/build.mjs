// `npm run build`: compiles src/ with tsc into dist/ (ES modules + .d.ts) and copies the generated schema types,
// which tsc does not emit (a .d.ts is input only) but dist/rest.d.ts imports.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
rmSync(`${root}dist`, { recursive: true, force: true });
const tsc = spawnSync(process.execPath, [`${root}node_modules/typescript/bin/tsc`, '-p', `${root}tsconfig.json`], { stdio: 'inherit' });
if (tsc.status !== 0) process.exit(tsc.status ?? 1);
mkdirSync(`${root}dist/generated`, { recursive: true });
cpSync(`${root}src/generated/schema.d.ts`, `${root}dist/generated/schema.d.ts`);
