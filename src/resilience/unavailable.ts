import { HeaderMap } from '@apollo/server';
import { ApiError, ErrorCode } from '../errors.js';

/** Seconds a client is asked to wait before retrying a request the database could not take. */
export const RETRY_AFTER_SECONDS = 1;

/**
 * SERVICE_UNAVAILABLE as HTTP 503 with Retry-After: Apollo takes the status and
 * headers from `extensions.http` (and drops the key) wherever the error is thrown,
 * in a resolver or while the context is built.
 */
export function serviceUnavailable(message: string, cause?: unknown): ApiError {
  const error = new ApiError(ErrorCode.SERVICE_UNAVAILABLE, message, {
    retryable: true,
    retryAfter: RETRY_AFTER_SECONDS,
    http: { status: 503, headers: new HeaderMap([['retry-after', String(RETRY_AFTER_SECONDS)]]) },
  });
  if (cause !== undefined) error.cause = cause;
  return error;
}
