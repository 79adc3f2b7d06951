import { Cluster, Redis } from 'ioredis';
import { clusterNodesOf, connectRedis } from '../cache/redis-connection.js';
import { TopicListeners, type EventBus } from './bus.js';

export interface RedisBusOptions {
  readonly urls: readonly string[];
  readonly cluster: boolean;
  readonly commandTimeoutMs: number;
  /** The connection or a (re)subscribe failed: the bus carries on and catches up when it is back. */
  readonly onError?: ((error: unknown) => void) | undefined;
  /** A publish failed: that event is lost to the other instances (their subscribers catch up on resync). */
  readonly onPublishError?: ((error: unknown) => void) | undefined;
}

const RECONNECT_MS = (attempt: number) => Math.min(attempt * 100, 2_000);
/** Messages kept for a publisher that lost its link: a few seconds of writes. */
const UNSENT_MAX = 1_000;

/**
 * Redis pub/sub behind the EventBus: PUBLISH/SUBSCRIBE on one Redis, sharded
 * SPUBLISH/SSUBSCRIBE on a Cluster (a channel then lives on the shard of its
 * slot, so fan-out does not cross the whole cluster). Two connections: the
 * publisher fails fast like the cache's (a Redis outage costs a write nothing),
 * the subscriber keeps reconnecting and, each time it is ready, subscribes to
 * every topic this instance still watches and announces a resync, since what
 * was published meanwhile is gone.
 */
export function createRedisBus(options: RedisBusOptions): EventBus {
  const onError = (error: unknown) => options.onError?.(error);
  // Auto-pipelined: updateTasksStatus of 500 tasks publishes to 500 topics at once, which went out as
  // 500 socket writes (~8 % of the API's CPU in a status import).
  const publisher = connectRedis({ urls: options.urls, cluster: options.cluster, commandTimeoutMs: options.commandTimeoutMs, onError, autoPipelining: true });
  const subscriber = connectSubscriber(options);
  subscriber.on('error', onError);
  const sharded = options.cluster;
  const listen = (topics: string[]) =>
    topics.length === 0 ? undefined : (sharded ? subscriber.ssubscribe(...topics) : subscriber.subscribe(...topics)).catch(onError);
  const unlisten = (topic: string) => void (sharded ? subscriber.sunsubscribe(topic) : subscriber.unsubscribe(topic)).catch(onError);
  // While the link is down a (un)subscribe fails at once; 'ready' catches up with what is wanted then.
  const listeners = new TopicListeners((topic) => void listen([topic]), unlisten);
  const resyncListeners = new Set<() => void>();

  subscriber.on(sharded ? 'smessage' : 'message', (topic: string, message: string) => listeners.deliver(topic, message));
  subscriber.on('ready', () => {
    void listen(listeners.topics);
    for (const listener of resyncListeners) listener();
  });

  // What failed to go out while the publisher's link was down, sent again once it is back: a
  // subscriber whose own link never dropped hears of no resync, and would miss these until the
  // row changes again. Bounded; a message sent twice is dropped by its version on arrival.
  const unsent: [topic: string, message: string][] = [];
  const publish = (topic: string, message: string) => {
    const sent = sharded ? (publisher as Cluster).spublish(topic, message) : publisher.publish(topic, message);
    sent.then(
      () => unsent.length > 0 && flushUnsent(),
      (error: unknown) => {
        options.onPublishError?.(error);
        if (unsent.length >= UNSENT_MAX) unsent.shift();
        unsent.push([topic, message]);
      },
    );
  };
  const flushUnsent = () => {
    for (const [topic, message] of unsent.splice(0)) publish(topic, message);
  };
  publisher.on('ready', flushUnsent);

  return {
    publish,
    reaches: () => true,
    subscribe: (topic, listener) => listeners.add(topic, listener),
    onResync(listener) {
      resyncListeners.add(listener);
      return () => resyncListeners.delete(listener);
    },
    async close() {
      publisher.disconnect();
      subscriber.disconnect();
    },
  };
}

/** Commands fail at once while disconnected (no offline queue): the 'ready' handler re-subscribes instead. */
function connectSubscriber(options: RedisBusOptions): Redis | Cluster {
  if (options.cluster) {
    const { nodes, credentials } = clusterNodesOf(options.urls);
    return new Cluster(nodes, {
      shardedSubscribers: true,
      enableOfflineQueue: false,
      clusterRetryStrategy: RECONNECT_MS,
      redisOptions: { ...credentials, connectTimeout: 2_000, maxRetriesPerRequest: 0 },
    });
  }
  return new Redis(options.urls[0]!, {
    enableOfflineQueue: false,
    autoResubscribe: false,
    connectTimeout: 2_000,
    maxRetriesPerRequest: 0,
    retryStrategy: RECONNECT_MS,
  });
}
