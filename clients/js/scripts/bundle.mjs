// Bundles the client (with openapi-fetch and ot-text-unicode) into one ES module for the demo page:
// web/js/stoa-client.js, served by the node itself (no CDN; the page's CSP allows only its own scripts). The bundle
// is checked in so that `dotnet run` serves a working page without npm; `--check` fails when it is stale (CI).
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { writeOrCheck } from './write-or-check.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const target = fileURLToPath(new URL('../../../web/js/stoa-client.js', import.meta.url));

const result = await build({
  entryPoints: [`${root}src/index.ts`],
  absWorkingDir: root,
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  write: false,
  legalComments: 'inline',
  banner: { js: '// Built by clients/js/scripts/bundle.mjs from clients/js/src (esbuild). Do not edit: run `npm run bundle` in clients/js.' },
  logLevel: 'warning',
});
writeOrCheck(target, result.outputFiles[0].text, 'npm run bundle');
