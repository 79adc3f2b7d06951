import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.js';
import type { Metrics } from '../observability/metrics.js';
import type { RateLimiter } from '../resilience/rate-limiter.js';
import type { Db } from '../db/database.js';
import { createMemoryBus, type EventBus } from './bus.js';
import { LiveHub } from './live-hub.js';
import { createRedisBus } from './redis-bus.js';
import { createSubscriptionMetrics } from './subscription.metrics.js';
import { registerSubscriptionTransport, type TransportDeps } from './transport.js';

export { subscriptionResolvers } from './subscription.resolver.js';
export type { LiveHub } from './live-hub.js';

/** Redis pub/sub when REDIS_URL names one (every instance hears every other), else the process's own bus. */
export function createEventBus(config: Config, onPublishError?: (error: unknown) => void): EventBus {
  const { redisUrls, cluster, commandTimeoutMs } = config.cache;
  return redisUrls.length > 0 ? createRedisBus({ urls: redisUrls, cluster, commandTimeoutMs, onPublishError }) : createMemoryBus();
}

export interface LiveUpdatesDeps extends Omit<TransportDeps, 'hub'> {
  readonly metrics: Metrics;
  readonly limiter: RateLimiter;
  readonly db: Db;
  /** Absent: one from the config, closed with the app. */
  readonly bus?: EventBus | undefined;
}

/** Live updates on `app`: the hub the write path publishes through, and graphql-ws on /graphql. */
export async function registerLiveUpdates(app: FastifyInstance, deps: LiveUpdatesDeps): Promise<LiveHub> {
  const metrics = createSubscriptionMetrics(deps.metrics.registry);
  const bus = deps.bus ?? createEventBus(deps.config, () => metrics.dropped.inc({ reason: 'bus_error' }));
  const hub = new LiveHub(bus, deps.db, deps.config.subscriptions, metrics, deps.limiter, app.log);
  await registerSubscriptionTransport(app, { ...deps, hub });
  if (!deps.bus) app.addHook('onClose', () => bus.close());
  return hub;
}
