import type { ApolloServerOptionsWithGateway, BaseContext } from '@apollo/server';
import { execute, GraphQLError, type ExecutionResult, type GraphQLSchema } from 'graphql';
import type { CompiledQueries } from './compiled-queries.js';

type Gateway = ApolloServerOptionsWithGateway<BaseContext>['gateway'];
type GatewayExecutor = NonNullable<Awaited<ReturnType<Gateway['load']>>['executor']>;
type GatewayRequestContext = Parameters<GatewayExecutor>[0];

/**
 * Apollo Server 5's one executor hook is its `gateway` option
 * (requestPipeline.ts calls `gatewayExecutor` instead of graphql-js when one is
 * set). Everything before execution stays Apollo's: parsing, validation, the
 * limits, the plugins. The schema never changes, so it is announced once.
 */
export function executorGateway(schema: GraphQLSchema, compiled: CompiledQueries): Gateway {
  const executor: GatewayExecutor = async (request) => {
    // No operation: the name the client sent names none in the document; graphql-js words that error.
    if (!request.operation) return runWithGraphqlJs(schema, request);
    const query = compiled.get(request.queryHash, request.document, request.request.operationName ?? null);
    if (!query) return runWithGraphqlJs(schema, request);
    const result = await query.query(undefined, request.context, request.request.variables ?? {});
    // No data at all: graphql-jit refused the variables. graphql-js words that refusal
    // with the nodes Apollo needs to answer BAD_USER_INPUT, so it answers it.
    if (result.data === undefined && result.errors) return runWithGraphqlJs(schema, request);
    return result.errors ? { ...result, errors: result.errors.map(asGraphqlJsError) } : result;
  };
  return {
    onSchemaLoadOrUpdate(callback) {
      callback({ apiSchema: schema, coreSupergraphSdl: '' });
      return () => {};
    },
    load: async () => ({ executor }),
    stop: async () => {},
  };
}

function runWithGraphqlJs(schema: GraphQLSchema, request: GatewayRequestContext): Promise<ExecutionResult> {
  return Promise.resolve(
    execute({
      schema,
      document: request.document,
      contextValue: request.context,
      variableValues: request.request.variables,
      operationName: request.request.operationName,
    }),
  );
}

/**
 * graphql-jit's errors leave `extensions` undefined when the thrown error had
 * none, and a non-null violation without an original error; graphql-js's
 * `locatedError` always gives both, and Apollo, formatError and the record
 * plugin read them. Only requests with errors pay for this.
 */
export function asGraphqlJsError(error: GraphQLError): GraphQLError {
  const located = new GraphQLError(error.message, { path: error.path, originalError: error.originalError ?? new Error(error.message) });
  // graphql-jit computed the locations at compile time; graphql-js would from the nodes it keeps.
  return error.locations ? Object.assign(located, { locations: error.locations }) : located;
}
