import type { FastifyReply, FastifyRequest } from 'fastify';
import { type CachedResponse, decodeFor, etagOf } from './response-cache.js';

const acceptsGzip = (request: FastifyRequest) => /\bgzip\b/.test(String(request.headers['accept-encoding'] ?? ''));

/** Apollo's own choice of media type for the same Accept header. */
function contentTypeFor(request: FastifyRequest): string {
  return String(request.headers.accept ?? '').includes('application/graphql-response+json')
    ? 'application/graphql-response+json; charset=utf-8'
    : 'application/json; charset=utf-8';
}

/**
 * A browser may keep a GET answer (private: it is this viewer's data) but must
 * ask again before every use. With a max-age it would answer from its own copy,
 * out of reach of any fence, for up to the tier's TTL after the viewer's own
 * write; revalidating costs a 304 while nothing changed.
 */
const REVALIDATE_EVERY_USE = 'private, no-cache';
/** A GET answer without an ETag (errors, mutations refused over GET, uncacheable shapes): not kept at all. */
const NEVER_KEEP = 'private, no-store';

/**
 * Answers from a cached response: 304 when the client holds the same ETag,
 * the stored gzip when it accepts gzip, the plain body otherwise.
 */
export async function sendCachedResponse(request: FastifyRequest, reply: FastifyReply, cached: CachedResponse) {
  reply.header('x-cache', 'HIT').header('etag', cached.etag).header('vary', 'accept-encoding, authorization');
  if (request.method === 'GET') reply.header('cache-control', REVALIDATE_EVERY_USE);
  if (request.headers['if-none-match'] === cached.etag) return reply.code(304).send();
  const { body, gzipped } = await decodeFor(cached, acceptsGzip(request));
  if (gzipped) reply.header('content-encoding', 'gzip');
  return reply.header('content-type', contentTypeFor(request)).send(body);
}

/** The same headers on a response that was computed (and maybe stored) now; `cacheable`: a query answer with a cache policy. */
export function markComputedResponse(request: FastifyRequest, reply: FastifyReply, body: string, cacheable: boolean) {
  reply.header('x-cache', 'MISS');
  if (request.method !== 'GET') return;
  if (!cacheable) {
    reply.header('cache-control', NEVER_KEEP);
    return;
  }
  reply.header('etag', etagOf(body)).header('cache-control', REVALIDATE_EVERY_USE).header('vary', 'accept-encoding, authorization');
}
