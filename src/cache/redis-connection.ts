import { Cluster, Redis, type ClusterNode, type RedisOptions } from 'ioredis';

export interface RedisConnectionOptions {
  /** One URL, or the seed nodes of a cluster: `redis://` or `rediss://` (TLS), with a user and password when Redis wants them. */
  readonly urls: readonly string[];
  readonly cluster: boolean;
  /** A command that takes longer fails. */
  readonly commandTimeoutMs: number;
  readonly onError?: ((error: Error) => void) | undefined;
  /**
   * ioredis' auto-pipelining: the commands issued in one turn of the event
   * loop leave in one write (per node on a Cluster). For a connection that
   * sends bursts of independent commands, such as the live bus publishing a
   * batch write's 500 task topics.
   */
  readonly autoPipelining?: boolean;
}

/**
 * A connection of the cache's or the rate limiter's, with the same fail-fast
 * settings: no offline queue (a command while disconnected fails at once
 * instead of waiting for a reconnect), a command timeout, no per-request
 * retries. The connection itself keeps reconnecting.
 */
export function connectRedis(options: RedisConnectionOptions): Redis | Cluster {
  const common = { enableOfflineQueue: false, lazyConnect: false, enableAutoPipelining: options.autoPipelining ?? false } as const;
  const perNode: RedisOptions = { commandTimeout: options.commandTimeoutMs, maxRetriesPerRequest: 0, connectTimeout: 2_000 };
  const retry = (attempt: number) => Math.min(attempt * 100, 2_000);
  let client: Redis | Cluster;
  if (options.cluster) {
    const { nodes, credentials } = clusterNodesOf(options.urls);
    client = new Cluster(nodes, { ...common, redisOptions: { ...perNode, ...credentials }, clusterRetryStrategy: retry });
  } else {
    client = new Redis(options.urls[0]!, { ...common, ...perNode, retryStrategy: retry });
  }
  // Without a listener ioredis reports every failed reconnect as an unhandled error.
  client.on('error', (error: Error) => options.onError?.(error));
  return client;
}

/**
 * A cluster's seed nodes and what every node is connected with. ioredis takes
 * a cluster's nodes as host and port only, and the user, password and TLS once
 * for all (the nodes it discovers are reached the same way), so they are read
 * from the URLs here: dropping them would leave an authenticated cluster unused.
 */
export function clusterNodesOf(urls: readonly string[]): {
  nodes: ClusterNode[];
  credentials: Pick<RedisOptions, 'username' | 'password' | 'tls'>;
} {
  const parsed = urls.map((url) => new URL(url));
  const first = parsed[0]!;
  return {
    nodes: parsed.map(({ hostname, port }) => ({ host: hostname, port: Number(port || 6379) })),
    credentials: {
      ...(first.username ? { username: decodeURIComponent(first.username) } : {}),
      ...(first.password ? { password: decodeURIComponent(first.password) } : {}),
      ...(first.protocol === 'rediss:' ? { tls: {} } : {}),
    },
  };
}
