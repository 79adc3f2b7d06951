import autocannon from 'autocannon';
import { hasGraphQLErrors } from './graphql-client.js';
import { LatencyRecorder } from './stats.js';
import { targetsOf } from './targets.js';
import type { ErrorCounts } from './types.js';

/** One request of a workload: its JSON body and whose token it carries. */
export interface LoadRequest {
  readonly body: string;
  readonly token: string;
}

export interface LoadOptions {
  readonly url: string;
  readonly connections: number;
  readonly durationS: number;
  /** Called for every request: rotates ids, users and statuses. */
  readonly next: () => LoadRequest;
}

export interface LoadOutcome {
  readonly responses: number;
  readonly durationS: number;
  readonly latencies: LatencyRecorder;
  readonly errors: ErrorCounts;
  /** The first failed answer, to say in the report what went wrong. */
  readonly firstError: string | undefined;
  readonly responseCache: ResponseCacheCount;
}

/** Answers by their `x-cache` header (HIT or MISS), which the server's response cache sets. */
export interface ResponseCacheCount {
  hits: number;
  /** Answers that carried the header at all. */
  tagged: number;
}

export function countCacheHeader(count: ResponseCacheCount, value: unknown): void {
  if (value === undefined) return;
  count.tagged += 1;
  if (String(value).toUpperCase() === 'HIT') count.hits += 1;
}

const ERROR_SAMPLE_CHARS = 300;

/**
 * Runs autocannon against the GraphQL endpoint with one dynamic request:
 * `setupRequest` asks `next()` for each request's body and token, and
 * `onResponse` sees every answer (status and body), so HTTP and GraphQL
 * errors are counted exactly.
 */
export async function runLoad(options: LoadOptions): Promise<LoadOutcome> {
  const targets = targetsOf(options.url);
  if (targets.length === 1) return runLoadOn(options);
  // One autocannon per instance, the connections shared out, the requests from one sequence.
  const share = (i: number) => Math.max(1, Math.floor(options.connections / targets.length) + (i < options.connections % targets.length ? 1 : 0));
  const outcomes = await Promise.all(targets.map((url, i) => runLoadOn({ ...options, url, connections: share(i) })));
  const latencies = new LatencyRecorder();
  for (const outcome of outcomes) latencies.add(outcome.latencies);
  const sum = (pick: (o: LoadOutcome) => number) => outcomes.reduce((total, o) => total + pick(o), 0);
  return {
    responses: sum((o) => o.responses),
    durationS: Math.max(...outcomes.map((o) => o.durationS)),
    latencies,
    errors: { http: sum((o) => o.errors.http), graphql: sum((o) => o.errors.graphql), network: sum((o) => o.errors.network) },
    firstError: outcomes.find((o) => o.firstError !== undefined)?.firstError,
    responseCache: { hits: sum((o) => o.responseCache.hits), tagged: sum((o) => o.responseCache.tagged) },
  };
}

function runLoadOn(options: LoadOptions): Promise<LoadOutcome> {
  const latencies = new LatencyRecorder();
  let http = 0;
  let graphql = 0;
  let firstError: string | undefined;
  const responseCache: ResponseCacheCount = { hits: 0, tagged: 0 };

  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: options.url,
        connections: options.connections,
        duration: options.durationS,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        requests: [
          {
            setupRequest(request) {
              const { body, token } = options.next();
              return { ...request, body, headers: { ...request.headers, authorization: `Bearer ${token}` } };
            },
            onResponse(status, body, _context, headers) {
              countCacheHeader(responseCache, headers?.['x-cache'] ?? headers?.['X-Cache']);
              const httpError = status < 200 || status >= 300;
              if (httpError) http += 1;
              else if (hasGraphQLErrors(body)) graphql += 1;
              else return;
              firstError ??= `HTTP ${status}: ${body.slice(0, ERROR_SAMPLE_CHARS)}`;
            },
          },
        ],
      },
      (error: unknown, result: autocannon.Result) => {
        if (error) return reject(error instanceof Error ? error : new Error(String(error)));
        resolve({
          responses: latencies.count,
          durationS: result.duration,
          latencies,
          // result.errors counts connection errors and timeouts (answers that never came).
          errors: { http, graphql, network: result.errors },
          firstError: firstError ?? (result.errors > 0 ? `${result.errors} connection errors or timeouts` : undefined),
          responseCache,
        });
      },
    );
    // The runtime passes the client first; @types/autocannon leaves it out.
    (instance as NodeJS.EventEmitter).on('response', (_client: unknown, _status: number, _bytes: number, responseTimeMs: number) => {
      latencies.record(responseTimeMs);
    });
  });
}
