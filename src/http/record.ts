import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { markComputedResponse } from '../response-cache/http.js';
import type { ResponseCache, ResponseIdentity } from '../response-cache/response-cache.js';

/**
 * Step 5, for a response Apollo computed: the response cache learns the
 * operation's kind, stores the answer when its record carries a policy, and
 * the reply gets its cache headers. Answers the body, unchanged.
 */
export function recordComputedResponse(
  responses: ResponseCache,
  request: FastifyRequest,
  reply: FastifyReply,
  identity: ResponseIdentity | null,
  body: string,
): string {
  const record = request.record;
  const policy = record?.responsePolicy ?? null;
  if (identity) {
    responses.learn(identity, record?.operationKind === 'query' ? 'query' : 'other');
    if (policy && reply.statusCode === 200) void responses.store(identity, record?.operationName, body, policy);
  }
  markComputedResponse(request, reply, body, policy !== null && reply.statusCode === 200);
  return body;
}

/** Step 5, for every GraphQL request: one log line with the operation and its SQL cost (metrics: src/observability/). */
export function registerRequestLog(app: FastifyInstance): void {
  app.addHook('onResponse', async (request, reply) => {
    if (!request.sqlStats) return;
    request.log.info(
      {
        operation: request.record?.operationName,
        status: reply.statusCode,
        durationMs: Math.round(reply.elapsedTime * 100) / 100,
        sqlStatements: request.sqlStats.statements,
        sqlMs: Math.round(request.sqlStats.durationMs * 100) / 100,
      },
      'graphql request',
    );
  });
}
