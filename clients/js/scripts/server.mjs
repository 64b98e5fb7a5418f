// Starts a Stoa node from this source tree for the client's scripts (schema generation, tests) and stops it: the
// built server (src/Stoa.Server, Release) on a free loopback port over a fresh SQLite store in a temporary directory
// and the in-process engine, so nothing outside the directory is touched. Set STOA_NO_BUILD=1 when the caller has
// just built the server (scripts/test builds the solution first).
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const project = join(repoRoot, 'src', 'Stoa.Server');
const dll = join(project, 'bin', 'Release', 'net10.0', 'stoa.dll');

function build() {
  if (process.env.STOA_NO_BUILD === '1' && existsSync(dll)) return;
  const result = spawnSync('dotnet', ['build', project, '-c', 'Release', '-nologo', '-clp:ErrorsOnly', '-warnaserror'], {
    cwd: repoRoot,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, DOTNET_CLI_TELEMETRY_OPTOUT: '1', DOTNET_NOLOGO: '1' },
  });
  if (result.status !== 0) throw new Error(`dotnet build ${project} failed (exit ${result.status})`);
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Runs a `stoa` command (apps create, token…) against the node's store; resolves to its stdout. */
function runCli(env, args) {
  const result = spawnSync('dotnet', [dll, ...args], { cwd: dirname(dll), env, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`stoa ${args.join(' ')} failed (exit ${result.status}): ${result.stderr}`);
  return result.stdout;
}

/**
 * Starts a node. `settings` are extra `Stoa:` settings (`{ 'RateLimits:Policies:default:Capacity': '1000' }`).
 * Resolves to `{ baseUrl, cli(args), stop() }`.
 */
export async function startServer(settings = {}) {
  build();
  const dir = mkdtempSync(join(tmpdir(), 'stoa-js-'));
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const env = {
    ...process.env,
    DOTNET_CLI_TELEMETRY_OPTOUT: '1',
    Stoa__Store: `sqlite:${join(dir, 'stoa.db')}`,
    Stoa__Redis: '',
    Stoa__Urls: baseUrl,
    Stoa__DevMode: 'false',
    Stoa__LogFormat: 'json',
  };
  for (const [key, value] of Object.entries(settings)) env[`Stoa__${key.replaceAll(':', '__')}`] = String(value);
  const node = spawn('dotnet', [dll], { cwd: dirname(dll), env, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  const keep = (chunk) => {
    // The tail is enough to say why a start failed.
    log = (log + chunk.toString()).slice(-20_000);
  };
  node.stdout.on('data', keep);
  node.stderr.on('data', keep);
  const exited = new Promise((resolve) => node.on('exit', (code, signal) => resolve({ code, signal })));

  const stop = async () => {
    if (node.exitCode === null && node.signalCode === null) {
      node.kill('SIGTERM');
      const timer = setTimeout(() => node.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(dir, { recursive: true, force: true });
  };

  const deadline = Date.now() + 180_000;
  let exitedEarly = null;
  exited.then((e) => {
    exitedEarly = e;
  });
  while (true) {
    if (exitedEarly) {
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`the server exited (${JSON.stringify(exitedEarly)}) before it was ready:\n${log}`);
    }
    try {
      const ready = await fetch(`${baseUrl}/readyz`);
      if (ready.ok) break;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`the server was not ready within 180 s:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return { baseUrl, cli: (args) => runCli(env, args), stop, log: () => log };
}
