import { describe, it, expect } from 'vitest';
import { GraphQLError, locatedError, type GraphQLFormattedError } from 'graphql';
import { ApiError, ErrorCode, batchItemError, createFormatError, fromPgError, notFound } from '../../src/errors.js';

/** What graphql-js makes of an error thrown by the resolver of `task`: a located GraphQLError around it. */
const thrownInResolver = (error: unknown) => locatedError(error, undefined, ['task']);

/** An error as pg and PGlite raise it: an Error carrying the SQLSTATE in `code`. */
const pgError = (code: string) => Object.assign(new Error('duplicate key value violates unique constraint "tasks_pkey"'), { code });

/** The formatted error Apollo hands to formatError, with a development stacktrace. */
function formattedFrom(error: GraphQLError, code: string = ErrorCode.INTERNAL_SERVER_ERROR): GraphQLFormattedError {
  const formatted = error.toJSON();
  return {
    ...formatted,
    locations: [{ line: 1, column: 3 }],
    extensions: { code, ...formatted.extensions, stacktrace: ['Error: at resolver (task.resolver.ts:1:1)'] },
  };
}

describe('fromPgError', () => {
  it.each([
    ['23505', 'CONFLICT'],
    ['22P02', 'BAD_USER_INPUT'],
    ['22003', 'BAD_USER_INPUT'],
    ['22001', 'BAD_USER_INPUT'],
    ['23514', 'BAD_USER_INPUT'],
    ['23502', 'BAD_USER_INPUT'],
    ['23503', 'NOT_FOUND'],
    ['57014', 'SERVICE_UNAVAILABLE'],
    ['57P01', 'SERVICE_UNAVAILABLE'],
    ['08006', 'SERVICE_UNAVAILABLE'],
    ['53300', 'SERVICE_UNAVAILABLE'],
  ])('maps SQLSTATE %s to %s', (sqlState, code) => {
    const mapped = fromPgError(pgError(sqlState));
    expect(mapped).toBeInstanceOf(ApiError);
    expect(mapped?.extensions.code).toBe(code);
  });

  it('maps a plain object carrying a SQLSTATE', () => {
    expect(fromPgError({ code: '23505' })?.extensions.code).toBe('CONFLICT');
  });

  it('marks a statement timeout as retryable', () => {
    expect(fromPgError(pgError('57014'))?.extensions.retryable).toBe(true);
  });

  it('leaves an unknown SQLSTATE unmapped', () => {
    expect(fromPgError(pgError('42P01'))).toBeUndefined();
    expect(fromPgError(pgError('XX000'))).toBeUndefined();
  });

  it('leaves errors without a SQLSTATE unmapped', () => {
    expect(fromPgError(new Error('boom'))).toBeUndefined();
    expect(fromPgError({ code: 23505 })).toBeUndefined();
    expect(fromPgError({ code: 'ECONNREFUSED' })).toBeUndefined();
    expect(fromPgError({})).toBeUndefined();
  });

  it('leaves non-objects unmapped', () => {
    for (const value of [undefined, null, '23505', 23505, true]) {
      expect(fromPgError(value), String(value)).toBeUndefined();
    }
  });
});

describe('createFormatError', () => {
  const masked = createFormatError({ maskInternalMessages: true });
  const unmasked = createFormatError({ maskInternalMessages: false });

  it('passes an ApiError through with its code and extensions', () => {
    const error = thrownInResolver(notFound('Task', 'abc'));
    const formatted = masked(formattedFrom(error), error);
    expect(formatted.extensions).toEqual({ code: 'NOT_FOUND', type: 'Task', id: 'abc' });
    expect(formatted.message).toBe(error.message);
    expect(formatted.path).toEqual(['task']);
    expect(formatted.locations).toEqual([{ line: 1, column: 3 }]);
  });

  it('passes an ApiError through that reaches it unwrapped', () => {
    const error = new ApiError(ErrorCode.FORBIDDEN, 'Not yours');
    expect(masked(formattedFrom(error), error).extensions?.code).toBe('FORBIDDEN');
  });

  it("passes Apollo's own request errors through", () => {
    const error = new GraphQLError('Cannot query field "nope" on type "Query".', {
      extensions: { code: ErrorCode.GRAPHQL_VALIDATION_FAILED },
    });
    expect(masked(formattedFrom(error), error).extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('removes the stacktrace from errors it passes through', () => {
    const error = thrownInResolver(new ApiError(ErrorCode.CONFLICT, 'Taken'));
    const formatted = unmasked(formattedFrom(error), error);
    expect(formatted.extensions).toEqual({ code: 'CONFLICT' });
  });

  it('keeps only the property and constraints of validation errors, never the input they carried', () => {
    const input = { title: '', content: 'x'.repeat(10_000) };
    const error = new GraphQLError('Argument Validation Error', {
      extensions: {
        code: 'BAD_USER_INPUT',
        validationErrors: [{ target: input, value: '', property: 'title', constraints: { isLength: 'title is too short' }, children: [] }],
      },
    });
    const formatted = masked(formattedFrom(error), error);
    expect(formatted.extensions).toEqual({
      code: 'BAD_USER_INPUT',
      validationErrors: [{ property: 'title', constraints: { isLength: 'title is too short' } }],
    });
  });

  it('turns a plain Error into INTERNAL_SERVER_ERROR and hides its message when masking', () => {
    const error = thrownInResolver(new Error('password=hunter2 in connection string'));
    const formatted = masked(formattedFrom(error), error);
    expect(formatted.extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR' });
    expect(formatted.message).not.toContain('hunter2');
    expect(formatted.path).toEqual(['task']);
    expect(formatted.locations).toEqual([{ line: 1, column: 3 }]);
  });

  it('turns a plain Error into INTERNAL_SERVER_ERROR and keeps its message when not masking', () => {
    const error = thrownInResolver(new Error('the cache is down'));
    const formatted = unmasked(formattedFrom(error), error);
    expect(formatted.extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR' });
    expect(formatted.message).toBe('the cache is down');
  });

  it('masks a GraphQLError whose code is not one of the registry', () => {
    const error = thrownInResolver(new GraphQLError('secret detail', { extensions: { code: 'SOMETHING_ELSE' } }));
    const formatted = masked(formattedFrom(error, 'SOMETHING_ELSE'), error);
    expect(formatted.extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR' });
    expect(formatted.message).not.toContain('secret detail');
  });

  it('masks an ApiError raised as INTERNAL_SERVER_ERROR', () => {
    const error = thrownInResolver(new ApiError(ErrorCode.INTERNAL_SERVER_ERROR, 'secret detail'));
    const formatted = masked(formattedFrom(error), error);
    expect(formatted.extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR' });
    expect(formatted.message).not.toContain('secret detail');
  });

  it('maps a PostgreSQL error thrown in a resolver by its SQLSTATE', () => {
    const error = thrownInResolver(pgError('23505'));
    const formatted = masked(formattedFrom(error), error);
    expect(formatted.extensions).toEqual({ code: 'CONFLICT' });
    expect(formatted.message).not.toContain('tasks_pkey');
    expect(formatted.path).toEqual(['task']);
  });

  it('maps a pg-like error object by its SQLSTATE', () => {
    const formatted = masked({ message: 'duplicate key', extensions: { code: 'INTERNAL_SERVER_ERROR', stacktrace: ['x'] } }, { code: '23505' });
    expect(formatted.extensions).toEqual({ code: 'CONFLICT' });
  });

  it('keeps the retryable flag of a mapped timeout and drops the stacktrace', () => {
    const error = thrownInResolver(pgError('57014'));
    const formatted = unmasked(formattedFrom(error), error);
    expect(formatted.extensions).toEqual({ code: 'SERVICE_UNAVAILABLE', retryable: true });
  });

  it('masks a non-Error value thrown in a resolver', () => {
    const formatted = masked({ message: 'Unexpected error value: "oops"', extensions: { code: 'INTERNAL_SERVER_ERROR' } }, 'oops');
    expect(formatted.extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR' });
  });
});

describe('batchItemError', () => {
  it('names the index of the item and keeps the code and extensions of its error', () => {
    const error = batchItemError(3, new ApiError(ErrorCode.NOT_FOUND, 'Task was not found', { id: 'abc' }));
    expect(error).toBeInstanceOf(ApiError);
    expect(error.extensions).toEqual({ code: 'NOT_FOUND', id: 'abc', index: 3 });
  });

  it('answers BAD_USER_INPUT when the item error has no code', () => {
    const error = batchItemError(0, new GraphQLError('bad'));
    expect(error.extensions).toEqual({ code: 'BAD_USER_INPUT', index: 0 });
  });
});
