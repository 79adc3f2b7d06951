import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { FastifyInstance } from 'fastify';

export const REQUEST_ID_HEADER = 'x-request-id';

/**
 * A proxy's or a client's id is kept so that its logs and ours line up, but
 * only when it is short and plain: it lands in every log line of the request
 * (and in the response), where a 16 KB value, a newline or markup would be
 * the client writing our logs.
 */
const PLAIN_REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** Fastify's genReqId: the client's x-request-id when plain, else a fresh UUID. */
export function requestIdOf(request: IncomingMessage): string {
  const offered = request.headers[REQUEST_ID_HEADER];
  return typeof offered === 'string' && PLAIN_REQUEST_ID.test(offered) ? offered : randomUUID();
}

/** Every answer names its request id, so a client can quote it when reporting a problem. */
export function echoRequestId(app: FastifyInstance): void {
  app.addHook('onRequest', async (request, reply) => {
    reply.header(REQUEST_ID_HEADER, request.id);
  });
}
