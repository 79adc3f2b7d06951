import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { ErrorCode } from '../errors.js';

/** What an operation's errors ask of the HTTP answer: a status and headers (`extensions.http`). */
export interface HttpFromErrors {
  status?: number;
  readonly headers: Map<string, string>;
}

export type FormatError = (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;

/**
 * Apollo Server 5's formatting of an executed operation's errors
 * (errorNormalize.ts `normalizeAndFormatErrors`, not exported by the
 * package), for the known-operation lane (src/http/known-operation-lane.ts), which
 * must answer byte for byte what Apollo would: every error gets a code
 * (INTERNAL_SERVER_ERROR when it has none), an `extensions.http` moves
 * into the HTTP answer, then formatError has the last word; a formatError
 * that throws answers "Internal server error". Stack traces are never
 * included (includeStacktraceInErrorResponses is off in every mode).
 * tests/integration/known-operations.test.ts compares both answers.
 */
export function formatErrorsLikeApollo(errors: readonly GraphQLError[], formatError: FormatError): { formatted: GraphQLFormattedError[]; http: HttpFromErrors } {
  const http: HttpFromErrors = { headers: new Map() };
  const formatted = errors.map((error) => {
    try {
      const extensions: Record<string, unknown> = { ...error.extensions, code: error.extensions.code ?? ErrorCode.INTERNAL_SERVER_ERROR };
      if (isPartialHttpHead(extensions.http)) {
        if (extensions.http.status) http.status = extensions.http.status;
        for (const [name, value] of extensions.http.headers ?? []) http.headers.set(name, value);
        delete extensions.http;
      }
      return formatError({ ...error.toJSON(), extensions }, error);
    } catch {
      return { message: 'Internal server error', extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } };
    }
  });
  return { formatted, http };
}

function isPartialHttpHead(value: unknown): value is { status?: number; headers?: Map<string, string> } {
  if (!value || typeof value !== 'object') return false;
  const head = value as { status?: unknown; headers?: unknown };
  return (!('status' in head) || typeof head.status === 'number') && (!('headers' in head) || head.headers instanceof Map);
}
