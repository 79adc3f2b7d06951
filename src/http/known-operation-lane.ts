import type { FastifyReply, FastifyRequest } from 'fastify';
import type { GraphQLSchema } from 'graphql';
import Negotiator from 'negotiator';
import { LRUCache } from 'lru-cache';
import type { Viewer } from '../auth/viewer.js';
import type { Context } from '../context.js';
import { formatErrorsLikeApollo, type FormatError } from '../execution/apollo-errors.js';
import type { CompiledQueries } from '../execution/compiled-queries.js';
import { asGraphqlJsError } from '../execution/executor-gateway.js';
import { isPossibleCsrf } from '../limits/index.js';
import { operationCost } from '../limits/cost.js';
import { budgetRefusal } from '../limits/response-budget.js';
import { recordAnswer, recordErrors, recordOperation } from './record-plugin.js';

/** Apollo's answer types for a single result, in its order of preference (ApolloServer.ts MEDIA_TYPES). */
const APPLICATION_JSON = 'application/json; charset=utf-8';
const GRAPHQL_RESPONSE_JSON = 'application/graphql-response+json; charset=utf-8';
const SINGLE_RESULT_TYPES = [APPLICATION_JSON, GRAPHQL_RESPONSE_JSON, 'application/json; callbackSpec=1.0; charset=utf-8'];

/** Distinct Accept headers whose negotiated answer type is remembered (clients send a handful). */
const MAX_ACCEPT_HEADERS = 100;

export interface KnownOperationLaneDeps {
  readonly schema: GraphQLSchema;
  /** Apollo's executor's compiled operations: each one Apollo has validated and resolved. */
  readonly compiled: CompiledQueries;
  readonly formatError: FormatError;
  readonly maxCost: number;
  readonly contextFor: (request: FastifyRequest, viewer: Viewer | null) => Context;
  /** Resolves the viewer as Apollo's context does; rejects for a token that is not valid. */
  readonly authenticate: (request: FastifyRequest) => Promise<Viewer | null>;
  /** False once Apollo is stopping: from then on every request goes to Apollo, which refuses it. */
  readonly running: () => boolean;
}

/** Runs a request itself and answers its body; undefined when the request is Apollo's to answer (nothing was done). */
export type KnownOperationLane = (request: FastifyRequest, reply: FastifyReply) => Promise<string | undefined>;

interface PostParams {
  readonly query: string;
  readonly operationName: string | null;
  readonly variables: Record<string, unknown>;
}

/**
 * The lean path of a POST whose operation Apollo has already parsed,
 * validated, resolved and run once (src/execution/compiled-queries.ts). Apollo's
 * pipeline around execution (a header map, a URL, its own SHA-256 of the
 * text, a dozen awaited plugin hooks, a copy of the context) cost a third
 * of the CPU of a task-by-id request, measured A/B with it skipped; this
 * lane does what those steps decide for such a request, in the same order,
 * with the same code where the code is ours: the cost limit, the record
 * (operation, errors, cache policy), the response budget, the errors
 * formatted as Apollo formats them, the same JSON.
 *
 * Everything else is Apollo's, untouched: GET, persisted-query and other
 * extensions, a first sight of a document (validation), a refused variable
 * (its wording and 400), an operation over the cost limit, a token that is not
 * valid, an Accept it would answer with 406. The lane declines those before it
 * has done anything. tests/integration/known-operations.test.ts holds both
 * answers to the same requests side by side, byte for byte.
 */
export function createKnownOperationLane(deps: KnownOperationLaneDeps): KnownOperationLane {
  const answerTypes = new LRUCache<string, string | false>({ max: MAX_ACCEPT_HEADERS });
  const answerTypeOf = (accept: string | undefined): string | undefined => {
    if (accept === undefined || accept === '') return APPLICATION_JSON;
    let type = answerTypes.get(accept);
    if (type === undefined) {
      type = new Negotiator({ headers: { accept } }).mediaType(SINGLE_RESULT_TYPES) ?? false;
      answerTypes.set(accept, type);
    }
    // Apollo's third type (a callback spec) is rare enough to leave to Apollo.
    return type === APPLICATION_JSON || type === GRAPHQL_RESPONSE_JSON ? type : undefined;
  };

  return async (request, reply) => {
    if (request.method !== 'POST' || !deps.running()) return undefined;
    const params = postParamsOf(request.body);
    if (!params || request.documentHash === undefined || isPossibleCsrf(request)) return undefined;
    const answerType = answerTypeOf(request.headers.accept);
    if (!answerType) return undefined;
    const known = deps.compiled.find(request.documentHash, params.operationName);
    // Subscriptions over HTTP stay Apollo's.
    if (!known || known.operation.operation === 'subscription') return undefined;
    const viewer = await deps.authenticate(request).catch(() => undefined);
    if (viewer === undefined) return undefined;
    const cost = operationCost(deps.schema, known.document, known.operation, params.variables);
    if (cost > deps.maxCost) return undefined;

    const context = deps.contextFor(request, viewer);
    recordOperation(context, known.operation);
    context.record.costed(cost);
    const result = await known.query.query(undefined, context, params.variables);
    // No data at all: the variables were refused before anything ran (./execute.ts words that through graphql-js).
    if (result.data === undefined && result.errors) return undefined;

    let errors;
    let status = 200;
    if (result.errors) {
      const graphqlErrors = result.errors.map(asGraphqlJsError);
      recordErrors(context, graphqlErrors);
      const { formatted, http } = formatErrorsLikeApollo(graphqlErrors, deps.formatError);
      errors = formatted;
      if (http.status) status = http.status;
      for (const [name, value] of http.headers) void reply.header(name, value);
    }
    recordAnswer(context);
    const refusal = budgetRefusal(context.responseBudget);
    void reply.header('content-type', answerType);
    void reply.code(refusal?.status ?? status);
    // Apollo's field order (errors, data, extensions) and its trailing newline.
    return `${JSON.stringify(refusal?.result ?? { errors, data: result.data, extensions: result.extensions })}\n`;
  };
}

/** A POST body the lane can take: a query text, an operation name or none, variables as an object or none, no extensions. */
function postParamsOf(body: unknown): PostParams | undefined {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return undefined;
  const { query, operationName, variables, extensions } = body as Record<string, unknown>;
  if (typeof query !== 'string' || (extensions !== undefined && extensions !== null)) return undefined;
  if (operationName !== undefined && operationName !== null && typeof operationName !== 'string') return undefined;
  if (variables === undefined || variables === null) return { query, operationName: operationName ?? null, variables: {} };
  if (typeof variables !== 'object' || Array.isArray(variables)) return undefined;
  return { query, operationName: operationName ?? null, variables: variables as Record<string, unknown> };
}
