import type { FastifyReply, FastifyRequest } from 'fastify';
import { type CachedResponse, type GraphQLHttpParams, decodeFor, etagOf } from './response-cache.js';

/** The GraphQL parameters of a request: the query string of a GET, the JSON body of a POST. */
export function graphqlParamsOf(request: FastifyRequest): GraphQLHttpParams | null {
  const source = request.method === 'GET' ? request.query : request.body;
  // A batched array (several operations in one POST) is never cached.
  return source !== null && typeof source === 'object' && !Array.isArray(source) ? (source as GraphQLHttpParams) : null;
}

const acceptsGzip = (request: FastifyRequest) => /\bgzip\b/.test(String(request.headers['accept-encoding'] ?? ''));

/** Apollo's own choice of media type for the same Accept header. */
function contentTypeFor(request: FastifyRequest): string {
  return String(request.headers.accept ?? '').includes('application/graphql-response+json')
    ? 'application/graphql-response+json; charset=utf-8'
    : 'application/json; charset=utf-8';
}

/**
 * Answers from a cached response: 304 when the client holds the same ETag,
 * the stored gzip when it accepts gzip, the plain body otherwise. GET answers
 * may be kept by the browser (private: it is this viewer's data).
 */
export function sendCachedResponse(request: FastifyRequest, reply: FastifyReply, cached: CachedResponse) {
  reply.header('x-cache', 'HIT').header('etag', cached.etag).header('vary', 'accept-encoding, authorization');
  if (request.method === 'GET') reply.header('cache-control', `private, max-age=${cached.maxAgeSeconds}`);
  if (request.headers['if-none-match'] === cached.etag) return reply.code(304).send();
  const { body, gzipped } = decodeFor(cached, acceptsGzip(request));
  if (gzipped) reply.header('content-encoding', 'gzip');
  return reply.header('content-type', contentTypeFor(request)).send(body);
}

/** The same headers on a response that was computed (and maybe stored) now. */
export function markComputedResponse(request: FastifyRequest, reply: FastifyReply, body: string, maxAgeSeconds: number | null) {
  reply.header('x-cache', 'MISS');
  if (request.method !== 'GET' || maxAgeSeconds === null) return;
  const etag = etagOf(body);
  reply.header('etag', etag).header('cache-control', `private, max-age=${maxAgeSeconds}`).header('vary', 'accept-encoding, authorization');
}
