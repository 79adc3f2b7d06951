import type { FastifyRequest } from 'fastify';

/** A GraphQL-over-HTTP request as Fastify parsed it (POST body or GET query string). */
export interface GraphQLHttpParams {
  readonly query?: unknown;
  readonly operationName?: unknown;
  readonly variables?: unknown;
  readonly extensions?: unknown;
}

/** The GraphQL parameters of a request: the query string of a GET, the JSON body of a POST. */
export function graphqlParamsOf(request: FastifyRequest): GraphQLHttpParams | null {
  const source = request.method === 'GET' ? request.query : request.body;
  // A batched array (several operations in one POST) is never cached.
  return source !== null && typeof source === 'object' && !Array.isArray(source) ? (source as GraphQLHttpParams) : null;
}
