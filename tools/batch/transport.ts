import { setTimeout as sleep } from 'node:timers/promises';
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';

export interface GraphQLErrorJson {
  readonly message: string;
  readonly extensions?: { readonly code?: string; readonly index?: number; readonly [key: string]: unknown };
}

export interface GraphQLAnswer<TData> {
  readonly data?: TData | null;
  readonly errors?: readonly GraphQLErrorJson[];
}

export interface TransportOptions {
  readonly url: string;
  readonly token: string;
  /** Attempts after the first, for answers that may succeed later. */
  readonly retries: number;
  readonly timeoutMs: number;
  /** Aborted: no new attempt starts (a request on the wire is let finish). */
  readonly stop: AbortSignal;
  readonly onRetry?: (reason: string, delayMs: number) => void;
}

/**
 * Ends the run without recording anything for the chunk at hand:
 * `unavailable` when the retries are spent or the run was stopped while
 * waiting (running again continues), `refused` when no request can succeed as
 * configured (token, scope, URL, a client older than the schema).
 */
export class StopRun extends Error {
  constructor(
    message: string,
    readonly kind: 'unavailable' | 'refused',
  ) {
    super(message);
  }
}

// Answers that a later attempt may not get: the load is shed, the rate limit
// resets, a restart completes. Any other answer is returned as it is.
const RETRY_STATUSES = new Set([429, 500, 502, 503, 504]);
const RETRY_CODES = new Set(['SERVICE_UNAVAILABLE', 'RATE_LIMITED', 'INTERNAL_SERVER_ERROR']);
const BACKOFF_BASE_MS = 200;
const BACKOFF_CAP_MS = 20_000;

/**
 * POSTs one operation, retrying with exponential backoff and full jitter
 * (at least Retry-After when the server names it) on 429, 5xx and network
 * errors. Any other answer, a 4xx included, will fail again and is returned.
 */
export async function postOperation<TData, TVariables>(
  options: TransportOptions,
  document: DocumentTypeDecoration<TData, TVariables> & { toString(): string },
  variables: TVariables,
): Promise<GraphQLAnswer<TData>> {
  const body = JSON.stringify({ query: document.toString(), variables });
  for (let attempt = 0; ; attempt++) {
    let reason: string;
    let retryAfterMs = 0;
    try {
      const response = await fetch(options.url, {
        method: 'POST',
        // identity: a batch answer is ids, and compressing it costs the server more CPU than the bytes cost a loopback or LAN.
        headers: { 'content-type': 'application/json', 'accept-encoding': 'identity', authorization: `Bearer ${options.token}` },
        body,
        signal: AbortSignal.timeout(options.timeoutMs),
      });
      const answer = await readAnswer<TData>(response);
      const code = answer?.errors?.[0]?.extensions?.code;
      if (answer && !RETRY_STATUSES.has(response.status) && !(code && RETRY_CODES.has(code))) return answer;
      if (!answer && !RETRY_STATUSES.has(response.status)) throw new StopRun(`HTTP ${response.status} from ${options.url}: not a GraphQL answer`, 'refused');
      reason = `HTTP ${response.status}${code ? ` ${code}` : ''}`;
      retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
    } catch (error) {
      if (error instanceof StopRun) throw error;
      reason = describeNetworkError(error);
    }
    if (attempt >= options.retries) throw new StopRun(`${reason} after ${attempt + 1} attempts`, 'unavailable');
    if (options.stop.aborted) throw new StopRun(`${reason}; stopped`, 'unavailable');
    const delayMs = Math.max(retryAfterMs, backoffMs(attempt));
    options.onRetry?.(reason, delayMs);
    try {
      await sleep(delayMs, undefined, { signal: options.stop });
    } catch {
      throw new StopRun(`${reason}; stopped while waiting to retry`, 'unavailable');
    }
  }
}

async function readAnswer<TData>(response: Response): Promise<GraphQLAnswer<TData> | undefined> {
  const text = await response.text();
  try {
    const json = JSON.parse(text) as GraphQLAnswer<TData>;
    return json !== null && typeof json === 'object' && ('data' in json || 'errors' in json) ? json : undefined;
  } catch {
    return undefined;
  }
}

/** Full jitter: anywhere from 0 to base·2^attempt (capped), so retrying clients spread out. */
function backoffMs(attempt: number): number {
  return Math.random() * Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** attempt);
}

/** Retry-After as seconds or as an HTTP date (RFC 9110 §10.2.3); 0 when absent or unreadable. */
export function parseRetryAfter(value: string | null): number {
  if (value === null) return 0;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? 0 : Math.max(0, date - Date.now());
}

function describeNetworkError(error: unknown): string {
  const cause = (error as { cause?: { code?: string } })?.cause?.code;
  if (cause) return cause;
  if (error instanceof Error && error.name === 'TimeoutError') return 'timed out';
  return error instanceof Error ? error.message : String(error);
}
