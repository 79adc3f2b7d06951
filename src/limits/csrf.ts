import type { FastifyRequest } from 'fastify';

/** Headers a browser sends cross-site only after a CORS preflight (Apollo's list). */
const PREFLIGHT_HEADERS = ['x-apollo-operation-name', 'apollo-require-preflight'];
/** Content types a cross-site form or `fetch` may send without a preflight. */
const SIMPLE_CONTENT_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain'];

/**
 * Apollo's CSRF rule (its `preventCsrf`): a request without a content type
 * that forces a preflight, and without a preflight header, may come from
 * another site. Apollo checks it when it runs; the response cache answers
 * before Apollo, so it asks here first and leaves such requests to Apollo,
 * which refuses them (HTTP 400, BAD_REQUEST).
 */
export function isPossibleCsrf(request: FastifyRequest): boolean {
  const contentType = request.headers['content-type'];
  if (contentType !== undefined) {
    const essence = contentType.split(';')[0]!.trim().toLowerCase();
    if (!SIMPLE_CONTENT_TYPES.includes(essence)) return false;
  }
  return !PREFLIGHT_HEADERS.some((header) => {
    const value = request.headers[header];
    return typeof value === 'string' && value.length > 0;
  });
}
