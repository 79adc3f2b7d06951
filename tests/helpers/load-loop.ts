import { setTimeout as sleep } from 'node:timers/promises';

/** One request of a load loop, as the client saw it. */
export interface RequestOutcome {
  /** ms since the loop started. */
  readonly startedAt: number;
  readonly durationMs: number;
  readonly status: number;
  /** The first error's `extensions.code`; TIMEOUT when the client gave up, NETWORK when no HTTP answer came. */
  readonly code: string | undefined;
  readonly ok: boolean;
}

export interface LoadOptions {
  readonly url: string;
  /** The next request's JSON body and bearer token. */
  readonly next: () => { readonly body: string; readonly token?: string | undefined };
  /** Requests in flight at once. */
  readonly concurrency: number;
  /** The loop stops starting requests after this long, or after `maxRequests`. */
  readonly durationMs: number;
  readonly maxRequests: number;
  /** A request taking longer is abandoned and counted as TIMEOUT. */
  readonly timeoutMs: number;
  /** A pause between one worker's requests: a modest load, not a flood. */
  readonly pauseMs?: number;
}

/** A bounded loop of concurrent GraphQL requests over loopback HTTP. */
export async function runLoad(options: LoadOptions): Promise<RequestOutcome[]> {
  const outcomes: RequestOutcome[] = [];
  const started = performance.now();
  let sent = 0;
  const worker = async () => {
    while (performance.now() - started < options.durationMs && sent < options.maxRequests) {
      sent += 1;
      outcomes.push(await send(options, started));
      if (options.pauseMs) await sleep(options.pauseMs);
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  return outcomes;
}

async function send(options: LoadOptions, loopStart: number): Promise<RequestOutcome> {
  const { body, token } = options.next();
  const startedAt = performance.now();
  const done = (status: number, code: string | undefined, ok: boolean): RequestOutcome => ({
    startedAt: startedAt - loopStart,
    durationMs: performance.now() - startedAt,
    status,
    code,
    ok,
  });
  try {
    const response = await fetch(options.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body,
      signal: AbortSignal.timeout(options.timeoutMs),
    });
    const json = (await response.json()) as { errors?: { extensions?: { code?: string } }[] };
    const code = json.errors?.[0]?.extensions?.code;
    return done(response.status, code, response.status === 200 && code === undefined);
  } catch (error) {
    const timedOut = error instanceof DOMException && error.name === 'TimeoutError';
    return done(0, timedOut ? 'TIMEOUT' : 'NETWORK', false);
  }
}

/** What a fault did to the load: the figures the closing note quotes. */
export interface FaultFigures {
  readonly fault: string;
  readonly sent: number;
  readonly failed: number;
  /** Error codes seen, with how often. */
  readonly codes: Readonly<Record<string, number>>;
  readonly slowestMs: number;
  /** From the first failed request's start to the last one's answer. */
  readonly errorWindowMs: number | undefined;
  /** From the service being back to the first successful answer after it. */
  readonly recoveryMs: number | undefined;
}

/** `serviceBackAt`: when the service was back, in ms since the loop started. */
export function summarize(fault: string, outcomes: readonly RequestOutcome[], serviceBackAt?: number): FaultFigures {
  const failures = outcomes.filter((o) => !o.ok);
  const codes: Record<string, number> = {};
  for (const failure of failures) {
    const code = failure.code ?? `HTTP ${failure.status}`;
    codes[code] = (codes[code] ?? 0) + 1;
  }
  const endOf = (o: RequestOutcome) => o.startedAt + o.durationMs;
  const successesAfter = serviceBackAt === undefined ? [] : outcomes.filter((o) => o.ok && endOf(o) >= serviceBackAt);
  return {
    fault,
    sent: outcomes.length,
    failed: failures.length,
    codes,
    slowestMs: Math.round(Math.max(0, ...outcomes.map((o) => o.durationMs))),
    errorWindowMs: failures.length === 0 ? undefined : Math.round(Math.max(...failures.map(endOf)) - Math.min(...failures.map((o) => o.startedAt))),
    recoveryMs: successesAfter.length === 0 ? undefined : Math.round(Math.min(...successesAfter.map(endOf)) - serviceBackAt!),
  };
}

/** One line per fault, for the test output. */
export function printFigures(figures: readonly FaultFigures[]): void {
  console.log(
    [
      '| fault | sent | failed | error rate | codes | slowest ms | error window ms | recovery ms |',
      '|---|--:|--:|--:|---|--:|--:|--:|',
      ...figures.map(
        (f) =>
          `| ${f.fault} | ${f.sent} | ${f.failed} | ${((100 * f.failed) / Math.max(1, f.sent)).toFixed(1)} % | ${
            Object.entries(f.codes)
              .map(([code, count]) => `${code} x${count}`)
              .join(', ') || '-'
          } | ${f.slowestMs} | ${f.errorWindowMs ?? '-'} | ${f.recoveryMs ?? '-'} |`,
      ),
    ].join('\n'),
  );
}
