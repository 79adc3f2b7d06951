import type { SqlEvent, SqlTracker } from '../../src/db/sql-tracker.js';
import type { Server } from '../../src/server.js';

export interface OperationRequest {
  /** The GraphQL document's text. */
  readonly query: string;
  readonly variables?: Record<string, unknown> | undefined;
  /** Needed when the document holds more than one operation. */
  readonly operationName?: string | undefined;
}

export interface GraphQLError {
  readonly message: string;
  readonly path?: readonly (string | number)[];
  readonly extensions?: Record<string, unknown>;
}

export interface CapturedOperation {
  readonly status: number;
  readonly data?: unknown;
  readonly errors: readonly GraphQLError[];
  readonly durationMs: number;
  /** Every statement the request sent, in order, with its bound values. */
  readonly statements: readonly SqlEvent[];
}

/**
 * Sends the operation once through Fastify's inject, as a client would (so the
 * auth header, the context and the per-request loaders are the real ones), and
 * records every statement it sends. The tracker sees all statements of the
 * process, so nothing else may use this server meanwhile.
 */
export async function captureOperation(server: Server, tracker: SqlTracker, token: string, request: OperationRequest): Promise<CapturedOperation> {
  const statements: SqlEvent[] = [];
  const unsubscribe = tracker.subscribe((event) => statements.push(event));
  const startedAt = performance.now();
  try {
    const response = await server.app.inject({
      method: 'POST',
      url: '/graphql',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      payload: JSON.stringify(request),
    });
    const durationMs = performance.now() - startedAt;
    const body = parseBody(response.body);
    return { status: response.statusCode, data: body.data, errors: body.errors ?? [], durationMs, statements };
  } finally {
    unsubscribe();
  }
}

function parseBody(text: string): { data?: unknown; errors?: GraphQLError[] } {
  try {
    return JSON.parse(text) as { data?: unknown; errors?: GraphQLError[] };
  } catch {
    return { errors: [{ message: `The response is not JSON: ${text.slice(0, 200)}` }] };
  }
}
