import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Config } from '../config.js';
import { echoRequestId, requestIdOf } from '../observability/request-id.js';
import { boundClientSilence, httpTimeouts } from '../resilience/http-timeouts.js';

/** Fastify as the edge takes requests: its logger, request ids, body bound and timeouts. */
export function createApp(config: Config, logger: FastifyBaseLogger): FastifyInstance {
  const app = Fastify({
    loggerInstance: logger,
    // One line per GraphQL request, written by ./record.ts with the operation and its SQL cost.
    logController: new LogController({ disableRequestLogging: true }),
    // The client's x-request-id only when short and plain (request-id.ts): Fastify would take any.
    requestIdHeader: false,
    genReqId: requestIdOf,
    bodyLimit: config.limits.maxBodyBytes,
    ...httpTimeouts(config.http),
  });
  boundClientSilence(app, config.http);
  echoRequestId(app);
  return app;
}
