import compress from '@fastify/compress';
import type { ApolloServer } from '@apollo/server';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import type { GraphQLSchema } from 'graphql';
import type { TokenIssuer } from './auth/tokens.js';
import type { Cache } from './cache/cache.js';
import { CacheWriteQuota } from './cache/write-quota.js';
import type { Config } from './config.js';
import type { Context } from './context.js';
import type { DatabaseHandle } from './db/connect.js';
import type { ReadRouting } from './db/replicas/read-routing.js';
import type { SqlTracker } from './db/sql-tracker.js';
import { createCacheAnswer } from './http/answer-from-cache.js';
import { createApp } from './http/app.js';
import { createAuthenticate } from './http/authenticate.js';
import { registerCompression } from './http/compression.js';
import { createExecute } from './http/execute.js';
import { registerGraphqlRoute } from './http/graphql-route.js';
import { createLimitStep } from './http/limit.js';
import { registerRequestLog } from './http/record.js';
import { registerStrictBodies } from './limits/index.js';
import { createMetrics, type Metrics } from './observability/metrics.js';
import { observeServer } from './observability/observe-server.js';
import { registerHealth } from './resilience/health.js';
import type { Lifecycle } from './resilience/lifecycle.js';
import { createRateLimiter, type RateLimiter } from './resilience/rate-limiter.js';
import { ResponseCache } from './response-cache/response-cache.js';
import { registerLiveUpdates } from './subscriptions/index.js';

export interface ServerDeps {
  readonly config: Config;
  readonly database: DatabaseHandle;
  readonly tracker: SqlTracker;
  readonly tokens: TokenIssuer;
  readonly schema: GraphQLSchema;
  readonly logger: FastifyBaseLogger;
  readonly cache: Cache;
  /** Development only: Sandbox opens with this token in its Authorization header. */
  readonly sandboxToken?: string | undefined;
  /** The process's metrics (main.ts); absent, the server makes its own (tests). */
  readonly metrics?: Metrics | undefined;
  /** Budgets per viewer and per IP (main.ts shares them through Redis); absent, in memory from config. */
  readonly rateLimiter?: RateLimiter | undefined;
  /** Turns /readyz to draining when shutdown starts (main.ts); absent, the server never drains. */
  readonly lifecycle?: Lifecycle | undefined;
  /** Read replicas (main.ts, from DATABASE_REPLICA_URLS); absent, every read on the primary. */
  readonly replicas?: ReadRouting | undefined;
}

export interface Server {
  readonly app: FastifyInstance;
  readonly apollo: ApolloServer<Context>;
}

/**
 * Fastify in front, Apollo Server 5 on /graphql (GET and POST), health probes
 * beside it. Assembly only: the steps a request takes are in src/http/.
 */
export async function createServer(deps: ServerDeps): Promise<Server> {
  const app = createApp(deps.config, deps.logger);
  // GET /metrics, request and SQL metrics, the slow-query log.
  const metrics = deps.metrics ?? createMetrics();
  observeServer(app, { ...deps, metrics });
  // JSON bodies only, in strict UTF-8; refusals answered as GraphQL errors by the route's errorHandler.
  registerStrictBodies(app);

  const limiter = deps.rateLimiter ?? createRateLimiter(deps.config.rateLimit);
  const limit = await createLimitStep(app, { config: deps.config, cache: deps.cache, metrics, limiter });
  const authenticate = createAuthenticate(deps.tokens);
  // graphql-ws on GET /graphql (an upgrade), fed by the write path through the bus (src/subscriptions/).
  const live = await registerLiveUpdates(app, {
    config: deps.config, schema: deps.schema, db: deps.database.db, cache: deps.cache, tokens: deps.tokens, metrics, limiter,
    validationRules: limit.apollo.validationRules, parseOptions: limit.apollo.parseOptions,
  });
  // One allowance per viewer for the whole process: entries (loaders) and whole responses alike.
  const quotaBytes = deps.config.cache.viewerWriteQuotaBytes;
  const cacheWriteQuota = quotaBytes === undefined ? undefined : new CacheWriteQuota(quotaBytes);
  const { apollo, execute } = await createExecute(app, {
    config: deps.config,
    schema: deps.schema,
    tracker: deps.tracker,
    cache: deps.cache,
    cacheWriteQuota,
    authenticate,
    limits: limit.apollo,
    sandboxToken: deps.sandboxToken,
    publishChanges: (viewerId, changes) => live.publish(viewerId, changes),
    replicas: deps.replicas,
    onKnownOperation: () => metrics.graphql.knownOperationRequests.inc(),
  });
  // Compressed request bodies are still read; answers are compressed above a size by our own hook (src/http/compression.ts).
  await app.register(compress, { globalCompression: false });
  registerCompression(app);

  const responses = new ResponseCache(deps.cache, cacheWriteQuota);
  registerGraphqlRoute(app, { db: deps.database.db, tracker: deps.tracker, authenticate, limit, cacheAnswer: createCacheAnswer(responses), execute, responses });
  registerRequestLog(app);
  registerHealth(app, { db: deps.database.db, cache: deps.cache, lifecycle: deps.lifecycle });

  return { app, apollo };
}
