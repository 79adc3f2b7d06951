import { GraphQLError, type ValidationRule } from 'graphql';

/**
 * Refuses an operation of a type the schema lacks (there are no
 * subscriptions). graphql 16 validates `subscription { ... }` anyway and
 * fails only when executing it, as an unexpected error (HTTP 200,
 * INTERNAL_SERVER_ERROR); here it is GRAPHQL_VALIDATION_FAILED (400).
 */
export const knownOperationTypesRule: ValidationRule = (context) => ({
  OperationDefinition(operation) {
    if (!context.getSchema().getRootType(operation.operation)) {
      context.reportError(new GraphQLError(`This schema has no ${operation.operation} operations`, { nodes: operation }));
    }
    return false;
  },
});
