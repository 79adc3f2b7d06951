import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { freePort } from './free-port.js';

/**
 * Starts redis-server on `port` in the foreground, without persistence, and
 * resolves once it accepts connections. Its output is read until then and
 * drained after, so a chatty server never blocks on a full pipe.
 */
export async function launchRedisServer(port: number, extraArgs: readonly string[] = []): Promise<ChildProcess> {
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no', ...extraArgs];
  const child = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`redis-server on port ${port} did not start within 10 s:\n${output}`)), 10_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Ready to accept connections')) {
        clearTimeout(timer);
        child.stdout!.off('data', onData);
        child.stdout!.resume();
        resolve();
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`redis-server on port ${port} exited with ${code}:\n${output}`));
    });
  });
  return child;
}

export interface RedisProcess {
  readonly url: string;
  stop(): Promise<void>;
}

/**
 * A redis-server of the caller's own on a spare loopback port: the machine's
 * 6379 is shared, this one may be flushed at will.
 */
export async function startRedisProcess(): Promise<RedisProcess> {
  const port = await freePort();
  const child = await launchRedisServer(port);
  const exited = once(child, 'exit');
  return {
    url: `redis://127.0.0.1:${port}`,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGKILL');
      await exited;
    },
  };
}
