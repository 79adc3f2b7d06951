import { isUtf8 } from 'node:buffer';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ErrorCode } from '../errors.js';

interface Refusal {
  readonly status: number;
  readonly code: ErrorCode;
  readonly message: string;
  /** Figures beside the code (a limit and how far past it the request went). */
  readonly extensions?: Readonly<Record<string, unknown>>;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Bytes of the JSON body as received: the rate limit charges for them (./request-charge.ts). */
    bodyBytes?: number;
  }
}

const INVALID_UTF8 = 'ARYA_ERR_BODY_INVALID_UTF8';

/**
 * Fastify's errors about a body it could not take, answered the way the
 * GraphQL-over-HTTP spec asks: a status that says what went wrong (413, 415,
 * 400) and a GraphQL-shaped body whose code a client can switch on.
 */
const BODY_REFUSALS: Readonly<Record<string, Refusal>> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, code: ErrorCode.PAYLOAD_TOO_LARGE, message: 'The request body is too large' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    status: 415,
    code: ErrorCode.UNSUPPORTED_MEDIA_TYPE,
    message: 'Send GraphQL requests as application/json (POST) or in the query string (GET)',
  },
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400, code: ErrorCode.BAD_REQUEST, message: 'The request body is empty' },
  FST_ERR_CTP_INVALID_JSON_BODY: { status: 400, code: ErrorCode.BAD_REQUEST, message: 'The request body is not valid JSON' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: {
    status: 400,
    code: ErrorCode.BAD_REQUEST,
    message: 'The request body does not match its Content-Length',
  },
  [INVALID_UTF8]: { status: 400, code: ErrorCode.BAD_REQUEST, message: 'The request body is not valid UTF-8' },
};

/**
 * Request bodies as the GraphQL endpoint takes them: JSON only, strict UTF-8.
 * Fastify's bodyLimit (config) bounds their size.
 */
export function registerStrictBodies(app: FastifyInstance): void {
  // text/plain is a type a cross-site form may send without a preflight: no parser, so 415.
  app.removeContentTypeParser('text/plain');
  app.removeContentTypeParser('application/json');
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    // Fastify would decode bad bytes as U+FFFD and the text would be stored so: refuse them.
    request.bodyBytes = (body as Buffer).length;
    if (!isUtf8(body as Buffer)) return done(Object.assign(new Error('invalid UTF-8'), { code: INVALID_UTF8, statusCode: 400 }), undefined);
    parseJson(request, (body as Buffer).toString('utf8'), done);
  });
}

/** The GraphQL route's error handler: body refusals as GraphQL errors, everything else to Fastify's own. */
export function graphqlBodyErrorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  const refusal = BODY_REFUSALS[error.code];
  if (!refusal) throw error;
  request.log.info({ code: refusal.code, status: refusal.status }, 'request refused');
  return sendRequestError(request, reply, refusal);
}

/** A request refused before Apollo: `{ errors: [{ message, extensions: { code } }] }` in the media type the client accepts. */
export function sendRequestError(request: FastifyRequest, reply: FastifyReply, refusal: Refusal): FastifyReply {
  const body = { errors: [{ message: refusal.message, extensions: { ...refusal.extensions, code: refusal.code } }] };
  return sendErrorBody(request, reply, refusal.status, JSON.stringify(body));
}

/** A GraphQL error body, already serialized, in the media type the client accepts. */
export function sendErrorBody(request: FastifyRequest, reply: FastifyReply, status: number, body: string): FastifyReply {
  const accept = String(request.headers.accept ?? '');
  const mediaType = accept.includes('application/graphql-response+json') ? 'application/graphql-response+json' : 'application/json';
  return reply.code(status).type(`${mediaType}; charset=utf-8`).send(body);
}
