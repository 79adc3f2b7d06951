import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import {
  ApolloServerPluginLandingPageLocalDefault,
  ApolloServerPluginLandingPageProductionDefault,
} from '@apollo/server/plugin/landingPage/default';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import { fastifyApolloDrainPlugin, fastifyApolloHandler } from '@as-integrations/fastify';
import compress from '@fastify/compress';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { constants as zlib } from 'node:zlib';
import type { GraphQLSchema } from 'graphql';
import type { TokenIssuer } from './auth/tokens.js';
import { createViewerResolver, type Viewer } from './auth/viewer.js';
import type { Cache } from './cache/cache.js';
import { graphqlParamsOf, markComputedResponse, sendCachedResponse } from './cache/graphql-response-cache.js';
import { PersistedQueries } from './cache/persisted-queries.js';
import { ResponseCache, type ResponseIdentity } from './cache/response-cache.js';
import { CacheWriteQuota } from './cache/write-quota.js';
import type { Config } from './config.js';
import { Context } from './context.js';
import type { DatabaseHandle } from './db/connect.js';
import type { SqlStats, SqlTracker } from './db/sql-tracker.js';
import { ErrorCode, createFormatError } from './errors.js';
import {
  costLimitPlugin,
  createDocumentGuard,
  createParseOptions,
  createQueryLimits,
  graphqlBodyErrorHandler,
  isPossibleCsrf,
  registerStrictBodies,
  workUnitsOf,
} from './limits/index.js';
import { ResponseBudget, responseBudgetPlugin } from './limits/response-budget.js';
import { loadTrustedDocuments } from './trusted-documents/index.js';
import { createMetrics, type Metrics } from './observability/metrics.js';
import { observeServer } from './observability/observe-server.js';
import { echoRequestId, requestIdOf } from './observability/request-id.js';
import { requestSqlStats } from './observability/sql-log.js';
import { registerHealth } from './resilience/health.js';
import { boundClientSilence, httpTimeouts } from './resilience/http-timeouts.js';
import type { Lifecycle } from './resilience/lifecycle.js';
import { registerRateLimit } from './resilience/rate-limit-hook.js';
import { createRateLimiter, type RateLimiter } from './resilience/rate-limiter.js';

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
}

export interface Server {
  readonly app: FastifyInstance;
  readonly apollo: ApolloServer<Context>;
}

declare module 'fastify' {
  interface FastifyRequest {
    sqlStats: SqlStats;
    graphqlContext?: Context;
    viewer?: Promise<Viewer | null>;
    /** The operation a cached response was served for (Apollo never saw it). */
    cachedOperation?: { name: string | undefined };
  }
}

/** Fastify in front, Apollo Server 5 on /graphql (GET and POST), health probes beside it. */
export async function createServer(deps: ServerDeps): Promise<Server> {
  const production = deps.config.nodeEnv === 'production';
  const app = Fastify({
    loggerInstance: deps.logger,
    // One line per GraphQL request, written below with the operation and its SQL cost.
    logController: new LogController({ disableRequestLogging: true }),
    // The client's x-request-id only when short and plain (request-id.ts): Fastify would take any.
    requestIdHeader: false,
    genReqId: requestIdOf,
    bodyLimit: deps.config.limits.maxBodyBytes,
    ...httpTimeouts(deps.config.http),
  });
  boundClientSilence(app, deps.config.http);
  echoRequestId(app);
  // GET /metrics, request and SQL metrics, the slow-query log.
  const metrics = deps.metrics ?? createMetrics();
  observeServer(app, { ...deps, metrics });
  // JSON bodies only, in strict UTF-8; refusals answered as GraphQL errors by the route's errorHandler.
  registerStrictBodies(app);
  const { trustedDocuments } = deps.config;
  const trusted = trustedDocuments === undefined ? undefined : await loadTrustedDocuments(trustedDocuments, deps.config.limits);
  const limiter = deps.rateLimiter ?? createRateLimiter(deps.config.rateLimit);
  const queryLimits = createQueryLimits(deps.config.limits, {
    validated: (ms) => metrics.graphql.validationDuration.observe(ms / 1000),
    refused: () => metrics.graphql.documentsRefused.inc({ reason: 'limits' }),
  });
  const persistedQueries = trusted ? undefined : new PersistedQueries(deps.cache, deps.config.persistedQueries, limiter);

  const apollo = new ApolloServer<Context>({
    schema: deps.schema,
    introspection: !production,
    // Production names no field in its errors ("Did you mean ...?").
    hideSchemaDetailsFromClientErrors: production,
    includeStacktraceInErrorResponses: false,
    // Shutdown is ours (src/resilience/shutdown.ts): Apollo's own SIGTERM handler would
    // stop it concurrently and re-send the signal (it does so outside NODE_ENV=test).
    stopOnTerminationSignals: false,
    formatError: createFormatError({ maskInternalMessages: production }),
    // Size, depth and aliases per document, before graphql's own rules (validated once, then cached); the cost per request, below.
    validationRules: queryLimits.validationRules,
    parseOptions: createParseOptions(deps.config.limits),
    // Apollo's defaults, stated: one operation per request; GETs need a preflight header.
    allowBatchedHttpRequests: false,
    csrfPrevention: true,
    // Automatic persisted queries, shared by every instance through the cache store; with trusted documents, the manifest.
    persistedQueries: { cache: trusted?.persistedQueryStore() ?? persistedQueries!.apolloStore() },
    plugins: [fastifyApolloDrainPlugin(app), landingPage(production, deps.sandboxToken), errorLogging(), queryLimits.plugin,
      ...(persistedQueries ? [persistedQueries.plugin()] : []),
      responseBudgetPlugin<Context>((context) => context.responseBudget),
      costLimitPlugin<Context>(deps.config.limits.maxCost, (cost, context) => {
        context.state.cost = cost;
      }),
      // Apollo's cache-control plugin wraps every field resolver to collect
      // hints; our response TTL comes from the cache namespaces instead.
      ApolloServerPluginCacheControlDisabled()],
  });
  await apollo.start();
  // Large answers leave compressed; brotli at quality 4 costs about what gzip does.
  await app.register(compress, { threshold: 1_024, brotliOptions: { params: { [zlib.BROTLI_PARAM_QUALITY]: 4 } } });

  // One allowance per viewer for the whole process: entries (loaders) and whole responses alike.
  const quotaBytes = deps.config.cache.viewerWriteQuotaBytes;
  const cacheWriteQuota = quotaBytes === undefined ? undefined : new CacheWriteQuota(quotaBytes);
  const resolveViewer = createViewerResolver(deps.tokens, deps.database.db);
  // Resolved once per request: the response cache needs the viewer before Apollo runs.
  const viewerOf = (request: FastifyRequest) => (request.viewer ??= resolveViewer(request.headers.authorization));
  const graphqlHandler = fastifyApolloHandler(apollo, {
    context: async (request) => {
      const context = new Context(request.id, await viewerOf(request), deps.database.db, request.log, deps.cache, deps.config.resourceUrls, deps.config.idempotencyKeyTtlSeconds,
        new ResponseBudget(deps.config.limits.maxResponseBytes), cacheWriteQuota);
      request.graphqlContext = context;
      return context;
    },
  });
  const responses = new ResponseCache(deps.cache, cacheWriteQuota);
  const documents = createDocumentGuard(deps.config.limits.variables, (reason) => metrics.graphql.documentsRefused.inc({ reason }));
  const rateLimit = registerRateLimit(app, {
    limiter,
    // Refused requests too: what reading and validating the request cost (src/limits/request-charge.ts).
    costOf: (request) => Math.max(1, request.graphqlContext?.state.cost ?? 1) + workUnitsOf(request),
    onReject: (reason) => metrics.rateLimit.rejections.inc({ reason }),
  });

  app.route<{ Reply: string }>({
    method: ['GET', 'POST', 'OPTIONS'],
    url: '/graphql',
    errorHandler: graphqlBodyErrorHandler,
    handler(request, reply) {
      request.sqlStats = requestSqlStats(request.id);
      // Every statement the request sends (the viewer's check too) is counted against it.
      return deps.tracker.track(request.sqlStats, async () => {
        // Trusted documents first: a refused one reaches neither the viewer lookup, the cache nor Apollo.
        const refused = trusted?.refuseUntrusted(request, reply);
        if (refused) return refused;
        const viewer = await viewerOf(request).catch(() => null);
        // Past its budget a client is refused here, before anything is parsed (HTTP 429).
        if (request.method !== 'OPTIONS' && !(await rateLimit.admit(request, reply, viewer))) return reply;
        const params = graphqlParamsOf(request);
        // Variables past their limits, and documents refused before, go no further.
        const guarded = documents.refuse(request, reply, params);
        if (guarded) return guarded;
        // A cached response of this viewer's query is answered before Apollo parses anything.
        // Apollo checks for CSRF only when it runs: a request it would refuse is never answered from the cache.
        const identity = viewer && params && !isPossibleCsrf(request) ? responses.identify(params, viewer.id) : null;
        const cached = identity && (await responses.lookup(identity));
        if (cached) {
          request.cachedOperation = { name: cached.operationName };
          return sendCachedResponse(request, reply, cached);
        }
        const body = await graphqlHandler.call(this, request, reply);
        if (typeof body !== 'string') return body;
        documents.learn(request, reply, body);
        return finishComputedResponse(request, reply, identity, body);
      });
    },
  });

  /** Learns the operation's kind, stores a cacheable response, and marks its headers. */
  function finishComputedResponse(request: FastifyRequest, reply: FastifyReply, identity: ResponseIdentity | null, body: string) {
    const policy = request.graphqlContext?.responseCachePolicy() ?? null;
    if (identity) {
      responses.learn(identity, request.graphqlContext?.state.operationKind === 'query' ? 'query' : 'other');
      if (policy && reply.statusCode === 200) void responses.store(identity, request.graphqlContext?.state.operationName, body, policy);
    }
    markComputedResponse(request, reply, body, policy !== null && reply.statusCode === 200);
    return body;
  }

  app.addHook('onResponse', async (request, reply) => {
    if (!request.sqlStats) return;
    request.log.info(
      {
        operation: request.graphqlContext?.state.operationName ?? request.cachedOperation?.name,
        status: reply.statusCode,
        durationMs: Math.round(reply.elapsedTime * 100) / 100,
        sqlStatements: request.sqlStats.statements,
        sqlMs: Math.round(request.sqlStats.durationMs * 100) / 100,
      },
      'graphql request',
    );
  });

  registerHealth(app, { db: deps.database.db, cache: deps.cache, lifecycle: deps.lifecycle });

  return { app, apollo };
}

function landingPage(production: boolean, sandboxToken: string | undefined) {
  if (production) return ApolloServerPluginLandingPageProductionDefault({ footer: false });
  return ApolloServerPluginLandingPageLocalDefault({
    footer: false,
    embed: sandboxToken ? { initialState: { sharedHeaders: { Authorization: `Bearer ${sandboxToken}` } } } : true,
  });
}

/** Names the operation for the request log, and logs unexpected errors with the request id before they are masked. */
function errorLogging(): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ contextValue, operationName, operation }) {
          contextValue.state.operationName = operationName ?? undefined;
          contextValue.state.operationKind = operation?.operation;
        },
        async didEncounterErrors({ contextValue, errors }) {
          contextValue.state.hadErrors = true;
          for (const error of errors) {
            const code = error.extensions.code;
            if (code === undefined || code === ErrorCode.INTERNAL_SERVER_ERROR) {
              contextValue.log.error({ err: error.originalError ?? error, path: error.path }, 'unexpected error in operation');
            }
          }
        },
      };
    },
  };
}
