import type { FastifyInstance } from 'fastify';
import type { Db } from '../db/database.js';
import type { SqlStats, SqlTracker } from '../db/sql-tracker.js';
import { graphqlBodyErrorHandler } from '../limits/index.js';
import { requestSqlStats } from '../observability/sql-log.js';
import type { ResponseCache } from '../response-cache/response-cache.js';
import type { CacheAnswerStep } from './answer-from-cache.js';
import type { Authenticate } from './authenticate.js';
import type { Execute } from './execute.js';
import { graphqlParamsOf } from './graphql-params.js';
import type { LimitStep } from './limit.js';
import { recordComputedResponse } from './record.js';
import { RequestRecord } from './request-record.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The SQL statements a /graphql request sent, and their time: the request log and the metrics read them. */
    sqlStats: SqlStats;
    /** The database as this request reads and writes it: each statement sent through it counts in `sqlStats`. */
    db: Db;
  }
}

export interface GraphqlRouteSteps {
  readonly db: Db;
  readonly tracker: SqlTracker;
  readonly authenticate: Authenticate;
  readonly limit: LimitStep;
  readonly cacheAnswer: CacheAnswerStep;
  readonly execute: Execute;
  readonly responses: ResponseCache;
}

/**
 * /graphql (GET, POST and the CORS preflight): the steps a request takes, in
 * order. Authenticate, limit, answer from the cache, execute, record; each
 * step may answer the request itself and end it there.
 */
export function registerGraphqlRoute(app: FastifyInstance, steps: GraphqlRouteSteps): void {
  app.route<{ Reply: string }>({
    method: ['GET', 'POST', 'OPTIONS'],
    url: '/graphql',
    errorHandler: graphqlBodyErrorHandler,
    async handler(request, reply) {
      request.sqlStats = requestSqlStats(request.id);
      // Every statement the request sends (the viewer's check too) goes through this handle and counts against it.
      request.db = steps.tracker.counting(steps.db, request.sqlStats);
      request.record = new RequestRecord();
      // Trusted documents first: a refused one reaches neither the viewer lookup, the cache nor Apollo.
      if (steps.limit.refuseUntrusted(request, reply)) return reply;
      const viewer = await steps.authenticate(request).catch(() => null);
      const params = graphqlParamsOf(request);
      if (await steps.limit.refuse(request, reply, viewer, params)) return reply;
      const identity = steps.cacheAnswer.identify(request, viewer, params);
      if (await steps.cacheAnswer.answer(request, reply, identity)) return reply;
      const body = await steps.execute(request, reply);
      if (typeof body !== 'string') return body;
      steps.limit.learn(request, reply, body);
      return recordComputedResponse(steps.responses, request, reply, identity, body);
    },
  });
}
