import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

/** The checkout's root, where `src/main.ts` lives: the server runs from there whatever the caller's cwd. */
const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** The embedded database may migrate (and seed the demo data) on a first start. */
const START_TIMEOUT_MS = 120_000;
const STOP_TIMEOUT_MS = 10_000;
/** Lines of the server's output kept to explain a failure. */
const LOG_TAIL_LINES = 40;

export interface ServerProcess {
  /** `http://127.0.0.1:<port>/graphql` */
  readonly url: string;
  /** The last lines the server printed (LOG_LEVEL=warn: warnings and errors only). */
  logTail(): string;
  stop(): Promise<void>;
}

/**
 * Starts the API as a child process (`node --import tsx src/main.ts`) with the
 * given environment on a free port, and answers once /healthz does.
 */
export async function startServer(env: Readonly<Record<string, string | undefined>>): Promise<ServerProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: PROJECT_ROOT,
    env: { ...env, HOST: '127.0.0.1', PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const tail: string[] = [];
  const keep = (chunk: Buffer) => {
    tail.push(...chunk.toString('utf8').split('\n').filter((line) => line.trim() !== ''));
    tail.splice(0, Math.max(0, tail.length - LOG_TAIL_LINES));
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);

  const server: ServerProcess = {
    url: `http://127.0.0.1:${port}/graphql`,
    logTail: () => tail.join('\n'),
    stop: () => stopChild(child),
  };
  try {
    await waitForHealth(`http://127.0.0.1:${port}/healthz`, child);
  } catch (error) {
    await server.stop();
    throw new Error(`${error instanceof Error ? error.message : String(error)}\n--- server output ---\n${server.logTail()}`);
  }
  return server;
}

async function waitForHealth(url: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`the server exited during start (code ${child.exitCode ?? child.signalCode})`);
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`the server did not answer ${url} within ${START_TIMEOUT_MS / 1000} s`);
}

/** SIGTERM (the server drains and closes its database), SIGKILL if that takes too long. */
async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
}

/** A port nobody listens on right now (the OS picks it; the server binds it a moment later). */
async function freePort(): Promise<number> {
  const probe = createServer();
  probe.listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const address = probe.address();
  probe.close();
  if (address === null || typeof address === 'string') throw new Error('could not find a free port');
  return address.port;
}
