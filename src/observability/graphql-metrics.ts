import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Metrics, Outcome } from './metrics.js';

/**
 * Request duration and SQL cost per operation. Timed in Fastify's onResponse
 * (the whole HTTP request, including requests Apollo never sees: a rejected
 * token answers 401 before the context exists, a cached response before Apollo
 * runs); the request's record (src/http/request-record.ts) says what Apollo
 * learnt, or what the cache answered: the operation and whether the response has errors.
 */
export function createGraphqlMetrics(metrics: Metrics) {
  /** `trustedName`: the operation's name may take a label of its own (operation-label.ts). */
  function observe(request: FastifyRequest, reply: FastifyReply, trustedName: boolean): void {
    const record = request.record;
    const operation = metrics.graphql.operationLabel(record?.operation, trustedName);
    const outcome: Outcome = record?.hadErrors || reply.statusCode >= 400 ? 'error' : 'ok';
    metrics.graphql.requestDuration.observe({ operation, outcome }, reply.elapsedTime / 1000);
    metrics.graphql.sqlStatements.observe({ operation }, request.sqlStats.statements);
  }

  return { observe };
}
