import type { ApolloServerPlugin } from '@apollo/server';
import type { GraphQLError, OperationDefinitionNode } from 'graphql';
import type { Context } from '../context.js';
import { ErrorCode } from '../errors.js';

/**
 * The one plugin that writes what Apollo learnt into the request's record
 * (./request-record.ts): the operation's name and kind, whether it had errors,
 * and the cache policy of its response. Unexpected errors are logged here
 * with the request id, before formatError masks them.
 */
export function recordPlugin(): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ contextValue, operation }) {
          recordOperation(contextValue, operation);
        },
        async didEncounterErrors({ contextValue, errors }) {
          recordErrors(contextValue, errors);
        },
        // After execution and didEncounterErrors: the reads are all made, the errors known.
        async willSendResponse({ contextValue }) {
          recordAnswer(contextValue);
        },
      };
    },
  };
}

/** The operation that runs: its name (Apollo's operationName is the same one) and kind. */
export function recordOperation(context: Context, operation: OperationDefinitionNode | undefined): void {
  context.record.resolved(operation?.name?.value, operation?.operation);
}

/** An operation's errors: the record notes them, and unexpected ones are logged with the request id. */
export function recordErrors(context: Context, errors: readonly GraphQLError[]): void {
  context.record.failed();
  for (const error of errors) {
    const code = error.extensions.code;
    if (code === undefined || code === ErrorCode.INTERNAL_SERVER_ERROR) {
      context.log.error({ err: error.originalError ?? error, path: error.path }, 'unexpected error in operation');
    }
  }
}

/** The operation is answered: the record takes its response's cache policy. */
export function recordAnswer(context: Context): void {
  context.record.answered(context.responseCachePolicy());
}
