import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Metrics, Outcome } from './metrics.js';

/**
 * Request duration and SQL cost per operation. Timed in Fastify's onResponse
 * (the whole HTTP request, including requests Apollo never sees: a rejected
 * token answers 401 before the context exists, a cached response before Apollo
 * runs); the request state says what Apollo learnt: the resolved operation and
 * whether the response has errors.
 */
export function createGraphqlMetrics(metrics: Metrics) {
  /** `trustedName`: the operation's name may take a label of its own (operation-label.ts). */
  function observe(request: FastifyRequest, reply: FastifyReply, trustedName: boolean): void {
    const state = request.graphqlContext?.state;
    const resolved = state?.operationKind !== undefined ? { name: state.operationName } : request.cachedOperation;
    const operation = metrics.graphql.operationLabel(resolved, trustedName);
    const outcome: Outcome = state?.hadErrors || reply.statusCode >= 400 ? 'error' : 'ok';
    metrics.graphql.requestDuration.observe({ operation, outcome }, reply.elapsedTime / 1000);
    metrics.graphql.sqlStatements.observe({ operation }, request.sqlStats.statements);
  }

  return { observe };
}
