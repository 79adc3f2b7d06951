import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { ApiError, ErrorCode, createFormatError, fromPgError } from '../../src/errors.js';

const formatError = createFormatError({ maskInternalMessages: true });
/** What Apollo hands formatError: the error as JSON, with a code (INTERNAL_SERVER_ERROR when it had none). */
const formattedFrom = (error: GraphQLError): GraphQLFormattedError => ({
  ...error.toJSON(),
  extensions: { ...error.extensions, code: error.extensions.code ?? ErrorCode.INTERNAL_SERVER_ERROR },
});

describe('formatError and the errors of the query limits', () => {
  it('gives a validation rule’s error its own code back from Apollo’s GRAPHQL_VALIDATION_FAILED', () => {
    const ruleError = new ApiError(ErrorCode.QUERY_TOO_DEEP, 'too deep', { depth: 13, maxDepth: 12 });
    // Apollo's ValidationError: the rule's extensions, then its own code over them.
    const wrapped = new GraphQLError(ruleError.message, {
      originalError: ruleError,
      extensions: { ...ruleError.extensions, code: ErrorCode.GRAPHQL_VALIDATION_FAILED },
    });

    expect(formatError(formattedFrom(wrapped), wrapped)).toEqual({
      message: 'too deep',
      extensions: { code: 'QUERY_TOO_DEEP', depth: 13, maxDepth: 12 },
    });
  });

  it('keeps GRAPHQL_VALIDATION_FAILED for graphql’s own rules', () => {
    const error = new GraphQLError('Cannot query field "x" on type "User".', { extensions: { code: ErrorCode.GRAPHQL_VALIDATION_FAILED } });

    expect(formatError(formattedFrom(error), error).extensions).toEqual({ code: 'GRAPHQL_VALIDATION_FAILED' });
  });

  it('names a request Apollo refuses with a 4xx but no code BAD_REQUEST, its message kept', () => {
    const error = new GraphQLError('provided sha does not match query', { extensions: { http: { status: 400 } } });

    expect(formatError(formattedFrom(error), error)).toMatchObject({
      message: 'provided sha does not match query',
      extensions: { code: 'BAD_REQUEST' },
    });
  });

  it('still masks an error without a code and without a client status', () => {
    const error = new GraphQLError('relation "tasks" does not exist');

    expect(formatError(formattedFrom(error), error)).toEqual({ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } });
  });
});

describe('fromPgError and dates out of PostgreSQL’s range', () => {
  it.each(['22007', '22008', '22009'])('maps SQLSTATE %s to BAD_USER_INPUT', (sqlState) => {
    expect(fromPgError({ code: sqlState })?.extensions.code).toBe('BAD_USER_INPUT');
  });
});
