import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Viewer } from '../auth/viewer.js';
import { isPossibleCsrf } from '../limits/index.js';
import { sendCachedResponse } from '../response-cache/http.js';
import type { ResponseCache, ResponseIdentity } from '../response-cache/response-cache.js';
import type { GraphQLHttpParams } from './graphql-params.js';

export interface CacheAnswerStep {
  /** Which cached response the request would be; null when it can never be one. */
  identify(request: FastifyRequest, viewer: Viewer | null, params: GraphQLHttpParams | null): ResponseIdentity | null;
  /** Sends the cached response (a 304 when the client holds it) and answers true; false on a miss. */
  answer(request: FastifyRequest, reply: FastifyReply, identity: ResponseIdentity | null): Promise<boolean>;
}

/**
 * Step 3: a cached response of this viewer's query is answered before Apollo
 * parses anything (src/response-cache/). Apollo checks for CSRF only when it
 * runs: a request it would refuse is never answered from the cache.
 */
export function createCacheAnswer(responses: ResponseCache): CacheAnswerStep {
  return {
    identify(request, viewer, params) {
      // The limits have hashed the query text already (src/limits/document-guard.ts): not twice per request.
      return viewer && params && !isPossibleCsrf(request) ? responses.identify(params, viewer.id, request.documentHash) : null;
    },
    async answer(request, reply, identity) {
      const cached = identity && (await responses.lookup(identity));
      if (!cached) return false;
      request.record?.answeredFromCache(cached.operationName);
      await sendCachedResponse(request, reply, cached);
      return true;
    },
  };
}
