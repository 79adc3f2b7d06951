import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';

/**
 * The closed set of `extensions.code` values this API answers with. Clients
 * switch on these; the README documents each (a test keeps the two in step).
 */
export const ErrorCode = {
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
  INVALID_TRANSITION: 'INVALID_TRANSITION',
  IDEMPOTENCY_KEY_REUSED: 'IDEMPOTENCY_KEY_REUSED',
  BATCH_TOO_LARGE: 'BATCH_TOO_LARGE',
  PAGE_TOO_LARGE: 'PAGE_TOO_LARGE',
  OFFSET_TOO_LARGE: 'OFFSET_TOO_LARGE',
  SERVICE_UNAVAILABLE: 'SERVICE_UNAVAILABLE',
  RATE_LIMITED: 'RATE_LIMITED',
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
  // Query limits (src/limits/) and trusted documents (src/trusted-documents/): refused before anything runs.
  QUERY_TOO_DEEP: 'QUERY_TOO_DEEP',
  QUERY_TOO_LARGE: 'QUERY_TOO_LARGE',
  QUERY_TOO_COMPLEX: 'QUERY_TOO_COMPLEX',
  TOO_MANY_ALIASES: 'TOO_MANY_ALIASES',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  // Counted while the response is read (src/limits/response-budget.ts), before it is serialised.
  RESPONSE_TOO_LARGE: 'RESPONSE_TOO_LARGE',
  UNSUPPORTED_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  PERSISTED_QUERY_NOT_ALLOWED: 'PERSISTED_QUERY_NOT_ALLOWED',
  // Raised by Apollo Server itself before any resolver runs.
  GRAPHQL_PARSE_FAILED: 'GRAPHQL_PARSE_FAILED',
  GRAPHQL_VALIDATION_FAILED: 'GRAPHQL_VALIDATION_FAILED',
  OPERATION_RESOLUTION_FAILURE: 'OPERATION_RESOLUTION_FAILURE',
  BAD_REQUEST: 'BAD_REQUEST',
  PERSISTED_QUERY_NOT_FOUND: 'PERSISTED_QUERY_NOT_FOUND',
  PERSISTED_QUERY_NOT_SUPPORTED: 'PERSISTED_QUERY_NOT_SUPPORTED',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

const KNOWN_CODES = new Set<string>(Object.values(ErrorCode));

/** An error thrown on purpose: its message and extensions reach the client as they are. */
export class ApiError extends GraphQLError {
  constructor(code: ErrorCode, message: string, extensions: Record<string, unknown> = {}) {
    super(message, { extensions: { ...extensions, code } });
    this.name = 'ApiError';
  }
}

export const badInput = (message: string, extensions?: Record<string, unknown>) =>
  new ApiError(ErrorCode.BAD_USER_INPUT, message, extensions);

export const notFound = (type: string, id: string) =>
  new ApiError(ErrorCode.NOT_FOUND, `${type} ${id} was not found`, { type, id });

/** An error about one item of a batch mutation: the batch is rejected and the index named. */
export function batchItemError(index: number, error: GraphQLError): ApiError {
  const code = (error.extensions.code as ErrorCode | undefined) ?? ErrorCode.BAD_USER_INPUT;
  return new ApiError(code, `Item ${index}: ${error.message}`, { ...error.extensions, index });
}

/**
 * Maps a PostgreSQL error (pg or PGlite: both carry the SQLSTATE in `code`) to
 * the API's codes by SQLSTATE alone, never by message text. Unknown states stay
 * internal and are masked.
 */
export function fromPgError(error: unknown): ApiError | undefined {
  const sqlState = pgSqlState(error);
  switch (sqlState) {
    case '23505':
      return new ApiError(ErrorCode.CONFLICT, 'The write conflicts with existing data');
    case '23503':
      return new ApiError(ErrorCode.NOT_FOUND, 'A referenced object does not exist');
    case '22P02':
    case '22007':
    case '22008':
    case '22009':
    case '22021':
    case '22P05':
    case '22003':
    case '22001':
    case '23514':
    case '23502':
      return new ApiError(ErrorCode.BAD_USER_INPUT, 'The input is not valid for this field');
    case '57014':
      return new ApiError(ErrorCode.SERVICE_UNAVAILABLE, 'The database did not answer in time; retry later', {
        retryable: true,
      });
    case '57P01':
    case '57P03':
    case '08006':
    case '08001':
    case '08000':
    case '53300':
      return new ApiError(ErrorCode.SERVICE_UNAVAILABLE, 'The database is unavailable; retry later', {
        retryable: true,
      });
    default:
      return undefined;
  }
}

function isClientErrorStatus(http: unknown): boolean {
  const status = (http as { status?: unknown } | undefined)?.status;
  return typeof status === 'number' && status >= 400 && status < 500;
}

function pgSqlState(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

export interface FormatErrorOptions {
  /** Production hides the message of unexpected errors; development shows it. */
  readonly maskInternalMessages: boolean;
}

/**
 * Apollo's formatError: errors thrown on purpose and Apollo's own request
 * errors pass through; PostgreSQL errors are mapped; everything else becomes
 * INTERNAL_SERVER_ERROR (Apollo does not mask on its own).
 */
export function createFormatError(options: FormatErrorOptions) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    // Apollo's ValidationError writes GRAPHQL_VALIDATION_FAILED over the code of a
    // validation rule's error (the query limits): the rule's own code comes back.
    const ruleError = original instanceof GraphQLError && original.originalError instanceof ApiError ? original.originalError : undefined;
    if (ruleError) return withoutStacktrace({ ...formatted, extensions: { ...formatted.extensions, code: ruleError.extensions.code } });
    // Apollo refuses some requests with a 4xx and no code (a persisted-query hash that is not the document's).
    if (original instanceof GraphQLError && original.extensions.code === undefined && isClientErrorStatus(original.extensions.http)) {
      return withoutStacktrace({ ...formatted, extensions: { ...formatted.extensions, code: ErrorCode.BAD_REQUEST } });
    }
    const code = formatted.extensions?.code;
    if (original instanceof GraphQLError && typeof code === 'string' && KNOWN_CODES.has(code) && code !== ErrorCode.INTERNAL_SERVER_ERROR) {
      return withoutStacktrace(formatted);
    }
    const mapped = fromPgError(original);
    if (mapped) return { ...withoutStacktrace(formatted), message: mapped.message, extensions: mapped.extensions };
    return {
      message: options.maskInternalMessages ? 'Internal server error' : formatted.message,
      ...(formatted.locations ? { locations: formatted.locations } : {}),
      ...(formatted.path ? { path: formatted.path } : {}),
      extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR },
    };
  };
}

/**
 * Drops what a client must not get back: the stack, and the `target`/`value`
 * that class-validator's errors carry (the whole input, a megabyte of script
 * text for one bad title). What stays: the property and the broken constraints.
 */
function withoutStacktrace(formatted: GraphQLFormattedError): GraphQLFormattedError {
  if (!formatted.extensions) return formatted;
  const { stacktrace: _omit, validationErrors, ...extensions } = formatted.extensions;
  if (validationErrors === undefined && _omit === undefined) return formatted;
  return {
    ...formatted,
    extensions: Array.isArray(validationErrors) ? { ...extensions, validationErrors: validationErrors.map(describeConstraint) } : extensions,
  };
}

interface ValidationFailure {
  property?: string;
  constraints?: Record<string, string>;
  children?: ValidationFailure[];
}

function describeConstraint(failure: ValidationFailure): ValidationFailure {
  return {
    property: failure.property,
    constraints: failure.constraints,
    ...(failure.children?.length ? { children: failure.children.map(describeConstraint) } : {}),
  };
}
