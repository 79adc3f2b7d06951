import { type ChildProcess, execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { Cluster, Redis } from 'ioredis';
import { freePort } from '../../tools/servers/free-port.js';
import { launchRedisServer } from '../../tools/servers/redis-process.js';

/**
 * redis-server processes of a test file's own, on spare loopback ports: never
 * the machine's 6379, so a test may flush, stop or pause them at will. Each
 * is a child process killed when the file ends (and, failing that, when the
 * worker exits).
 */
const run = promisify(execFile);
const started = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of started) child.kill('SIGKILL');
});

// The tools start servers of their own too (tools/servers/); one port picker and one launch for both.
export { freePort };

export class RedisServer {
  private child: ChildProcess | undefined;

  private constructor(
    readonly port: number,
    private readonly dir: string,
    private readonly extraArgs: readonly string[],
  ) {}

  /** Starts redis-server on `port` (a free one when absent), without persistence. */
  static async start(options: { port?: number; extraArgs?: readonly string[] } = {}): Promise<RedisServer> {
    const dir = await mkdtemp(path.join(tmpdir(), 'arya-redis-'));
    const server = new RedisServer(options.port ?? (await freePort()), dir, options.extraArgs ?? []);
    await server.launch();
    return server;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  get pid(): number {
    return this.child!.pid!;
  }

  /** A plain client of this server, for inspecting keys; the caller disconnects it. */
  client(): Redis {
    return new Redis(this.port, '127.0.0.1', { lazyConnect: false, maxRetriesPerRequest: 1 });
  }

  private async launch(): Promise<void> {
    const child = await launchRedisServer(this.port, ['--dir', this.dir, ...this.extraArgs]);
    this.child = child;
    started.add(child);
    child.once('exit', () => started.delete(child));
  }

  /** SIGKILL: Redis is gone at once, with its data. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    });
  }

  /** A new, empty redis-server on the same port, as an operator's restart would give. */
  async restart(): Promise<void> {
    await this.kill();
    await this.launch();
  }

  /** SIGSTOP: connections stay open, nothing answers, the data is kept. */
  pause(): void {
    this.child!.kill('SIGSTOP');
  }

  resume(): void {
    this.child!.kill('SIGCONT');
  }

  async stop(): Promise<void> {
    if (this.child && this.child.signalCode === null && this.child.exitCode === null) this.child.kill('SIGCONT');
    await this.kill();
    await rm(this.dir, { recursive: true, force: true });
  }
}

/**
 * A user the API connects as, beside `default`, on a cluster that wants a
 * password: a client that dropped the user from REDIS_URL would be refused.
 */
export interface ClusterAuth {
  /** The default user's password (requirepass; masterauth too, as replicas would need it). */
  readonly password: string;
  readonly user: string;
  readonly userPassword: string;
}

/** Three masters, no replicas: every slot served, keys spread over three processes. */
export class RedisCluster {
  private constructor(
    readonly nodes: readonly RedisServer[],
    private readonly auth: ClusterAuth | undefined,
  ) {}

  static async start(options: { auth?: ClusterAuth } = {}): Promise<RedisCluster> {
    const { auth } = options;
    const authArgs = auth
      ? ['--requirepass', auth.password, '--masterauth', auth.password, '--user', auth.user, 'on', `>${auth.userPassword}`, '~*', '&*', '+@all']
      : [];
    const nodes: RedisServer[] = [];
    try {
      for (let i = 0; i < 3; i += 1) {
        const port = await freePort();
        // Relative to the node's own --dir, removed with it.
        nodes.push(await RedisServer.start({ port, extraArgs: ['--cluster-enabled', 'yes', '--cluster-config-file', `nodes-${port}.conf`, ...authArgs] }));
      }
      const cluster = new RedisCluster(nodes, auth);
      const addresses = nodes.map((node) => `127.0.0.1:${node.port}`);
      await run('redis-cli', [...cluster.cliAuth, '--cluster', 'create', ...addresses, '--cluster-replicas', '0', '--cluster-yes']);
      await cluster.waitUntilOk();
      return cluster;
    } catch (error) {
      await Promise.all(nodes.map((node) => node.stop()));
      throw error;
    }
  }

  /** Seed nodes as REDIS_URL takes them: comma-separated, each with the user and password when the cluster wants them. */
  get url(): string {
    const credentials = this.auth ? `${this.auth.user}:${encodeURIComponent(this.auth.userPassword)}@` : '';
    return this.nodes.map((node) => `redis://${credentials}127.0.0.1:${node.port}`).join(',');
  }

  /** A cluster client of the three masters, for inspecting keys; the caller disconnects it. */
  client(): Cluster {
    return new Cluster(
      this.nodes.map((node) => ({ host: '127.0.0.1', port: node.port })),
      this.auth ? { redisOptions: { password: this.auth.password } } : {},
    );
  }

  private get cliAuth(): string[] {
    return this.auth ? ['-a', this.auth.password, '--no-auth-warning'] : [];
  }

  private async waitUntilOk(): Promise<void> {
    for (let attempt = 0; attempt < 200; attempt += 1) {
      const states = await Promise.all(
        this.nodes.map(async (node) => (await run('redis-cli', [...this.cliAuth, '-p', String(node.port), 'cluster', 'info'])).stdout),
      );
      if (states.every((info) => info.includes('cluster_state:ok'))) return;
      await sleep(50);
    }
    throw new Error('the Redis Cluster did not reach cluster_state:ok');
  }

  async stop(): Promise<void> {
    await Promise.all(this.nodes.map((node) => node.stop()));
  }
}

/** What the cache tests run against: one Redis, or a three-master cluster. */
export interface RedisBackend {
  readonly kind: 'redis' | 'cluster';
  /** REDIS_* variables for startTestApi. */
  readonly env: Record<string, string>;
  readonly client: Redis | Cluster;
  /** Every key matching `pattern` (SCAN on each master), sorted. */
  keys(pattern: string): Promise<string[]>;
  /** Removes every key of these servers (ours alone). */
  flush(): Promise<void>;
  stop(): Promise<void>;
}

/** `auth`: a cluster that wants a password, REDIS_URL naming the user the API connects as. */
export async function startRedisBackend(kind: 'redis' | 'cluster', options: { auth?: ClusterAuth } = {}): Promise<RedisBackend> {
  if (kind === 'redis') {
    const server = await RedisServer.start();
    const client = server.client();
    return {
      kind,
      env: { REDIS_URL: server.url },
      client,
      keys: (pattern) => scanAll([client], pattern),
      flush: async () => void (await client.flushall()),
      stop: async () => {
        client.disconnect();
        await server.stop();
      },
    };
  }
  const cluster = await RedisCluster.start(options);
  const client = cluster.client();
  await new Promise<void>((resolve, reject) => client.once('ready', resolve).once('error', reject));
  return {
    kind,
    env: { REDIS_URL: cluster.url, REDIS_CLUSTER: 'true' },
    client,
    keys: (pattern) => scanAll(client.nodes('master'), pattern),
    flush: async () => void (await Promise.all(client.nodes('master').map((node) => node.flushall()))),
    stop: async () => {
      client.disconnect();
      await cluster.stop();
    },
  };
}

async function scanAll(nodes: readonly Redis[], pattern: string): Promise<string[]> {
  const keys: string[] = [];
  for (const node of nodes) {
    let cursor = '0';
    do {
      const [next, batch] = await node.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      keys.push(...batch);
      cursor = next;
    } while (cursor !== '0');
  }
  return keys.sort();
}

/**
 * Polls `probe` until it answers something truthy (a key landed, the cache is
 * back), or fails after `timeoutMs`. A probe that throws has not succeeded yet
 * (a connection still refused), except for a failed expectation, which fails
 * at once: a stale answer met while waiting is the bug, not a reason to wait.
 */
export async function eventually<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    const answer = await probe().catch((error: unknown) => {
      if (error instanceof Error && error.name === 'AssertionError') throw error;
      lastError = error;
      return undefined;
    });
    if (answer) return answer;
    if (Date.now() > deadline) {
      const cause = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${cause}`);
    }
    await sleep(10);
  }
}

/** Until the store answers PING: a cluster client is of no use before it has the slot map. */
export function untilStoreAnswers(store: { ping(): Promise<void> }): Promise<true> {
  return eventually('the cache store to answer', async () => (await store.ping(), true as const), 10_000);
}
