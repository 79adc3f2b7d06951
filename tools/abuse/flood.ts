import autocannon from 'autocannon';
import type { AttackRequest } from './attacks.js';

/** What the attacker got: answers by `<HTTP status> <first error code or ok>`, and answers that never came. */
export type Answers = Map<string, number>;

export interface Flood {
  /** Resolves at the end of the phase (or after stop()) with what the attacker got. */
  readonly done: Promise<Answers>;
  stop(): void;
}

export function countAnswer(answers: Answers, key: string, by = 1): void {
  answers.set(key, (answers.get(key) ?? 0) + by);
}

/** `400 QUERY_TOO_DEEP`, `200 ok`: the first `extensions.code` of an answer, found without parsing a body that may be huge. */
export function answerKey(status: number, body: string): string {
  return `${status} ${/"code":"([A-Z_]+)"/.exec(body.slice(0, 4_096))?.[1] ?? 'ok'}`;
}

/** `connections` connections sending `next()`'s requests back to back for `durationS`. */
export function startFlood(url: string, connections: number, durationS: number, next: () => AttackRequest): Flood {
  const answers: Answers = new Map();
  let instance: autocannon.Instance | undefined;
  const done = new Promise<Answers>((resolve, reject) => {
    instance = autocannon(
      {
        url,
        connections,
        duration: durationS,
        // An answer slower than this counts as none (the server is being taken down).
        timeout: 10,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        requests: [
          {
            setupRequest(request) {
              const { body, token } = next();
              return { ...request, body, headers: { ...request.headers, ...(token === undefined ? {} : { authorization: `Bearer ${token}` }) } };
            },
            onResponse: (status, body) => countAnswer(answers, answerKey(status, body)),
          },
        ],
      },
      (error: unknown, result: autocannon.Result) => {
        if (error) return reject(error instanceof Error ? error : new Error(String(error)));
        if (result.errors > 0) countAnswer(answers, 'no answer', result.errors);
        resolve(answers);
      },
    );
  });
  return { done, stop: () => instance?.stop() };
}
