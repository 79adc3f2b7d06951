import type { ApolloServerPlugin } from '@apollo/server';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ParseOptions, ValidationRule } from 'graphql';
import type { Viewer } from '../auth/viewer.js';
import type { Cache } from '../cache/cache.js';
import { PersistedQueries } from '../cache/persisted-queries.js';
import type { Config } from '../config.js';
import type { Context } from '../context.js';
import { bodyUnitsOf, costLimitPlugin, createDocumentGuard, createParseOptions, createQueryLimits, workUnitsOf } from '../limits/index.js';
import { responseBudgetPlugin } from '../limits/response-budget.js';
import type { Metrics } from '../observability/metrics.js';
import { registerRateLimit } from '../resilience/rate-limit-hook.js';
import type { RateLimiter } from '../resilience/rate-limiter.js';
import { loadTrustedDocuments } from '../trusted-documents/index.js';
import type { GraphQLHttpParams } from './graphql-params.js';

export interface LimitDeps {
  readonly config: Config;
  readonly cache: Cache;
  readonly metrics: Metrics;
  readonly limiter: RateLimiter;
}

/** What the limits ask of Apollo: its document rules, parser bound, document store and plugins. */
export interface ApolloLimits {
  readonly validationRules: ValidationRule[];
  readonly parseOptions: ParseOptions;
  readonly persistedQueries: { cache: ReturnType<PersistedQueries['apolloStore']> };
  readonly plugins: ApolloServerPlugin<Context>[];
}

export interface LimitStep {
  readonly apollo: ApolloLimits;
  /** A document outside the trusted manifest: refused before the viewer lookup, the cache or Apollo. True when refused (answered). */
  refuseUntrusted(request: FastifyRequest, reply: FastifyReply): boolean;
  /** The viewer's (or IP's) budget, then the variables and the documents refused before. True when refused (answered). */
  refuse(request: FastifyRequest, reply: FastifyReply, viewer: Viewer | null, params: GraphQLHttpParams | null): Promise<boolean>;
  /** After Apollo answered: a document it refused is remembered with its answer. */
  learn(request: FastifyRequest, reply: FastifyReply, body: string): void;
}

/**
 * Step 2: everything that bounds what a request may cost. Before Apollo:
 * trusted documents, the rate limit's first unit (HTTP 429), variables and
 * remembered refusals. Inside Apollo: the parser's token bound, the document
 * limits, the cost limit and the response budget. After: the rest of the
 * request's cost, charged (src/limits/request-charge.ts).
 */
export async function createLimitStep(app: FastifyInstance, deps: LimitDeps): Promise<LimitStep> {
  const { config, metrics, limiter } = deps;
  const trusted = config.trustedDocuments === undefined ? undefined : await loadTrustedDocuments(config.trustedDocuments, config.limits);
  const queryLimits = createQueryLimits(config.limits, {
    validated: (ms) => metrics.graphql.validationDuration.observe(ms / 1000),
    refused: () => metrics.graphql.documentsRefused.inc({ reason: 'limits' }),
  });
  // Automatic persisted queries, shared by every instance through the cache store; with trusted documents, the manifest.
  const persistedQueries = trusted ? undefined : new PersistedQueries(deps.cache, config.persistedQueries, limiter);
  const documents = createDocumentGuard(config.limits.variables, (reason) => metrics.graphql.documentsRefused.inc({ reason }));
  const rateLimit = registerRateLimit(app, {
    limiter,
    // Refused requests too: what reading and validating the request cost (src/limits/request-charge.ts).
    costOf: (request) => Math.max(1, request.record?.cost ?? 1) + workUnitsOf(request),
    // Its body's share before anything else is done with it; 429s for a spent budget before the body is read.
    upfrontOf: bodyUnitsOf,
    url: '/graphql',
    expensiveInFlight: config.rateLimit.expensiveInFlight,
    viewerPoints: config.rateLimit.points,
    onReject: (reason) => metrics.rateLimit.rejections.inc({ reason }),
  });

  return {
    apollo: {
      // Size, depth and aliases per document, before graphql's own rules (validated once, then cached); the cost per request, below.
      validationRules: queryLimits.validationRules,
      parseOptions: createParseOptions(config.limits),
      persistedQueries: { cache: trusted?.persistedQueryStore() ?? persistedQueries!.apolloStore() },
      plugins: [
        queryLimits.plugin,
        ...(persistedQueries ? [persistedQueries.plugin()] : []),
        responseBudgetPlugin<Context>((context) => context.responseBudget),
        costLimitPlugin<Context>(config.limits.maxCost, (cost, context) => context.record.costed(cost)),
      ],
    },
    // Booleans, not the reply: a FastifyReply is a thenable, which an async function would await.
    refuseUntrusted: (request, reply) => trusted?.refuseUntrusted(request, reply) !== undefined,
    async refuse(request, reply, viewer, params) {
      // Past its budget a client is refused here, before anything is parsed (HTTP 429).
      if (request.method !== 'OPTIONS' && !(await rateLimit.admit(request, reply, viewer))) return true;
      // Variables past their limits, and documents refused before, go no further.
      return documents.refuse(request, reply, params) !== undefined;
    },
    learn(request, reply, body) {
      // Apollo ran it: the run and the answer's size are charged (src/limits/request-charge.ts).
      request.answeredChars = body.length;
      documents.learn(request, reply, body);
    },
  };
}
