import type { FastifyRequest } from 'fastify';
import type { TokenIssuer } from '../auth/tokens.js';
import { createViewerResolver, type Viewer } from '../auth/viewer.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The request's viewer, looked up once (./authenticate.ts); rejects for a token that is not valid. */
    viewer?: Promise<Viewer | null>;
  }
}

export type Authenticate = (request: FastifyRequest) => Promise<Viewer | null>;

/**
 * Step 1: the viewer named by the request's bearer token, resolved once per
 * request: the rate limit and the response cache need it before Apollo runs,
 * the context and the metrics after.
 */
export function createAuthenticate(tokens: TokenIssuer): Authenticate {
  const resolveViewer = createViewerResolver(tokens);
  return (request) => (request.viewer ??= resolveViewer(request.headers.authorization, request.db));
}
