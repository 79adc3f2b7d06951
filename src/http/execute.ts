import { ApolloServer } from '@apollo/server';
import {
  ApolloServerPluginLandingPageLocalDefault,
  ApolloServerPluginLandingPageProductionDefault,
} from '@apollo/server/plugin/landingPage/default';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import { fastifyApolloDrainPlugin, fastifyApolloHandler } from '@as-integrations/fastify';
import type { FastifyInstance, FastifyRequest, RawReplyDefaultExpression, RawRequestDefaultExpression, RawServerDefault, RouteHandlerMethod } from 'fastify';
import type { GraphQLSchema } from 'graphql';
import type { Viewer } from '../auth/viewer.js';
import type { Cache } from '../cache/cache.js';
import type { CacheWriteQuota } from '../cache/write-quota.js';
import type { Config } from '../config.js';
import { Context } from '../context.js';
import { countingReads, type ReadRouting } from '../db/replicas/read-routing.js';
import type { SqlTracker } from '../db/sql-tracker.js';
import { createFormatError } from '../errors.js';
import { CompiledQueries } from '../execution/compiled-queries.js';
import { executorGateway } from '../execution/executor-gateway.js';
import { ResponseBudget } from '../limits/response-budget.js';
import type { WriteChanges } from '../writes/changes.js';
import type { Authenticate } from './authenticate.js';
import type { ApolloLimits } from './limit.js';
import { createKnownOperationLane } from './known-operation-lane.js';
import { recordPlugin } from './record-plugin.js';

export interface ExecuteDeps {
  readonly config: Config;
  readonly schema: GraphQLSchema;
  /** Counts each request's statements (src/db/sql-tracker.ts): the replica reads' too. */
  readonly tracker: SqlTracker;
  readonly cache: Cache;
  readonly cacheWriteQuota: CacheWriteQuota | undefined;
  readonly authenticate: Authenticate;
  readonly limits: ApolloLimits;
  /** Development only: Sandbox opens with this token in its Authorization header. */
  readonly sandboxToken?: string | undefined;
  /** Live updates (src/subscriptions/): every committed write is published through it. */
  readonly publishChanges?: ((viewerId: string, changes: WriteChanges) => void) | undefined;
  /** Replicas and read-your-writes (src/db/replicas/); absent, every read on `db`. */
  readonly replicas?: ReadRouting | undefined;
  /** Told of each request the known-operation lane answered (a metric). */
  readonly onKnownOperation?: (() => void) | undefined;
}

/** Apollo's handler of a /graphql request: answers the serialised body (a string) when it has not sent the reply itself. */
type ApolloHandler = RouteHandlerMethod<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, { Reply: string }>;
export type Execute = (...args: Parameters<ApolloHandler>) => ReturnType<ApolloHandler>;

/**
 * Step 4: Apollo Server 5, started, and the handler that runs a request through
 * it with its context. With graphql-jit, an operation Apollo has already
 * resolved runs in the known-operation lane (./known-operation-lane.ts)
 * without Apollo's per-request pipeline; GRAPHQL_EXECUTOR=graphql-js leaves
 * every request to Apollo.
 */
export async function createExecute(app: FastifyInstance, deps: ExecuteDeps): Promise<{ apollo: ApolloServer<Context>; execute: Execute }> {
  const production = deps.config.nodeEnv === 'production';
  const formatError = createFormatError({ maskInternalMessages: production });
  const jit = deps.config.graphqlExecutor === 'jit';
  const compiled = new CompiledQueries(deps.schema, (error) => app.log.warn({ err: error }, 'graphql-jit cannot compile a document: graphql-js runs it'));
  let running = false;
  const apollo = new ApolloServer<Context>({
    // graphql-jit runs what it can compile (src/execution/); GRAPHQL_EXECUTOR=graphql-js leaves execution to Apollo.
    ...(jit ? { gateway: executorGateway(deps.schema, compiled) } : { schema: deps.schema }),
    introspection: !production,
    // Production names no field in its errors ("Did you mean ...?").
    hideSchemaDetailsFromClientErrors: production,
    includeStacktraceInErrorResponses: false,
    // Shutdown is ours (src/resilience/shutdown.ts): Apollo's own SIGTERM handler would
    // stop it concurrently and re-send the signal (it does so outside NODE_ENV=test).
    stopOnTerminationSignals: false,
    formatError,
    validationRules: deps.limits.validationRules,
    parseOptions: deps.limits.parseOptions,
    // Apollo's defaults, stated: one operation per request; GETs need a preflight header.
    allowBatchedHttpRequests: false,
    csrfPrevention: true,
    persistedQueries: deps.limits.persistedQueries,
    plugins: [
      fastifyApolloDrainPlugin(app),
      landingPage(production, deps.sandboxToken),
      recordPlugin(),
      ...deps.limits.plugins,
      // Apollo's cache-control plugin wraps every field resolver to collect
      // hints; our response TTL comes from the cache namespaces instead.
      ApolloServerPluginCacheControlDisabled(),
      ...(jit ? [{ serverWillStart: async () => ({ serverWillStop: async () => void (running = false) }) }] : []),
    ],
  });
  await apollo.start();
  running = true;

  const contextFor = (request: FastifyRequest, viewer: Viewer | null) =>
    new Context(request.id, viewer, request.db, request.log, deps.cache, deps.config.resourceUrls, deps.config.idempotencyKeyTtlSeconds,
      new ResponseBudget(deps.config.limits.maxResponseBytes), deps.cacheWriteQuota, request.record, deps.publishChanges,
      deps.replicas && countingReads(deps.replicas, (reads) => deps.tracker.counting(reads, request.sqlStats)));
  const handler = fastifyApolloHandler(apollo, { context: async (request) => contextFor(request, await deps.authenticate(request)) });
  const lane = jit
    ? createKnownOperationLane({
        schema: deps.schema, compiled, formatError, maxCost: deps.config.limits.maxCost, contextFor, authenticate: deps.authenticate, running: () => running,
      })
    : undefined;
  return {
    apollo,
    async execute(request, reply) {
      const answered = lane && (await lane(request, reply));
      if (answered !== undefined) {
        deps.onKnownOperation?.();
        return answered;
      }
      // The route is the app's own, so its handler runs bound to the app.
      return handler.call(app, request, reply);
    },
  };
}

function landingPage(production: boolean, sandboxToken: string | undefined) {
  if (production) return ApolloServerPluginLandingPageProductionDefault({ footer: false });
  return ApolloServerPluginLandingPageLocalDefault({
    footer: false,
    embed: sandboxToken ? { initialState: { sharedHeaders: { Authorization: `Bearer ${sandboxToken}` } } } : true,
  });
}
