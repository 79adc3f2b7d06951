import 'reflect-metadata';
import { pino } from 'pino';
import { HOW_TO_GET_A_TOKEN, mayEmbedDemoToken } from './auth/demo-token.js';
import { resolveJwtSecret } from './auth/dev-secret.js';
import { createTokenIssuer } from './auth/tokens.js';
import { ConfigError, loadConfig } from './config.js';
import { openDatabase } from './db/open.js';
import { connectReplicas } from './db/replicas/read-routing.js';
import { SqlTracker } from './db/sql-tracker.js';
import { cacheMetricsObserver } from './observability/cache-observer.js';
import { startMetricsListener } from './observability/metrics-endpoint.js';
import { createMetrics } from './observability/metrics.js';
import { createSchema } from './schema.js';
import { createCache } from './cache/create-cache.js';
import { Lifecycle } from './resilience/lifecycle.js';
import { createRateLimiter } from './resilience/rate-limiter.js';
import { connectRateLimitRedis } from './resilience/redis-client.js';
import { shutdownOnSignals } from './resilience/shutdown.js';
import { createServer } from './server.js';
import { findUserByEmail } from './users/user.repository.js';
import { DEMO_USER } from './seed/scale.js';

/** Wires the process together: config -> database -> schema -> server -> listen. */
async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const logger = pino({ level: config.logLevel });
  const tracker = new SqlTracker();
  // Made first so that whatever main wires (database, cache) can record into it.
  const metrics = createMetrics();
  const database = await openDatabase(config, tracker, logger, { onShed: () => metrics.rateLimit.rejections.inc({ reason: 'db_gate' }) });
  // DATABASE_REPLICA_URLS: reads to replicas that have the viewer's writes; absent, all on the primary.
  const replicas = await connectReplicas(config, database, { tracker, logger, metrics });

  const tokens = createTokenIssuer(await resolveJwtSecret(config));
  const demoUser = mayEmbedDemoToken(config) ? await findUserByEmail(database.db, DEMO_USER.email) : undefined;
  const sandboxToken = demoUser && (await tokens.sign(demoUser.id));

  const cache = createCache(config.cache, cacheMetricsObserver(metrics));
  // Budgets shared by every instance through Redis; without REDIS_URL, this process's own.
  const rateLimiter = createRateLimiter(config.rateLimit, {
    redis: config.cache.redisUrls.length > 0 ? connectRateLimitRedis(config.cache) : undefined,
  });
  const lifecycle = new Lifecycle();
  const server = await createServer({ config, database, tracker, tokens, schema: await createSchema(), logger, sandboxToken, metrics, cache, rateLimiter, lifecycle, replicas });
  const address = await server.app.listen({ host: config.host, port: config.port });
  logger.info(`GraphQL API and Apollo Sandbox at ${address}/graphql (database: ${database.kind})`);
  if (sandboxToken) logger.info(`Demo user ${DEMO_USER.email}: Authorization: Bearer ${sandboxToken}`);
  else if (config.nodeEnv !== 'production') logger.info(HOW_TO_GET_A_TOKEN);
  // Started after the API: a port conflict here fails the start instead of a silent scrape gap.
  const metricsListener = config.metrics.listener && (await startMetricsListener(metrics, config.metrics.listener, logger));
  if (metricsListener) logger.info(`Prometheus metrics at ${metricsListener.address}/metrics`);
  else if (config.metrics.onMainListener === 'off') logger.warn('GET /metrics is off: set METRICS_PORT (a listener of its own) or METRICS_TOKEN (a bearer token on this one)');

  shutdownOnSignals({
    server,
    lifecycle,
    config: config.shutdown,
    logger,
    resources: [
      ...(metricsListener ? [{ name: 'metrics listener', close: () => metricsListener.close() }] : []),
      { name: 'rate limiter', close: () => rateLimiter.close() },
      { name: 'replicas', close: () => replicas.close() },
      { name: 'database', close: () => database.close() },
      { name: 'cache', close: () => cache.close() },
    ],
  });
}

main().catch((error: unknown) => {
  // A ConfigError names every bad variable; print it plainly, without a stack.
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
