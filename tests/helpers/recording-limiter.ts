import type { RateLimitConfig } from '../../src/config.js';
import { createRateLimiter, type RateLimiter, type RateSubject } from '../../src/resilience/rate-limiter.js';

/** Generous budgets: the tests read what was charged, they do not run out. */
const GENEROUS: RateLimitConfig = { points: 1_000_000, anonymousPoints: 1_000_000, windowSeconds: 60, registrationKibPerHour: 256, expensiveInFlight: 2 };

export interface RecordingLimiter {
  readonly limiter: RateLimiter;
  /** Units taken from the subject so far: paid up front and charged after the response. */
  spent(subject: RateSubject): number;
}

/** The in-memory rate limiter, with a ledger of every unit each subject spent. */
export function recordingLimiter(config: Partial<RateLimitConfig> = {}): RecordingLimiter {
  const inner = createRateLimiter({ ...GENEROUS, ...config });
  const ledger = new Map<string, number>();
  const keyOf = (subject: RateSubject) => `${subject.kind}:${subject.kind === 'ip' ? subject.ip : subject.id}`;
  const record = (subject: RateSubject, points: number) => ledger.set(keyOf(subject), (ledger.get(keyOf(subject)) ?? 0) + points);
  return {
    spent: (subject) => ledger.get(keyOf(subject)) ?? 0,
    limiter: {
      async consume(subject, points) {
        const decision = await inner.consume(subject, points);
        if (decision.allowed) record(subject, points);
        return decision;
      },
      async charge(subject, points) {
        record(subject, points);
        await inner.charge(subject, points);
      },
      close: () => inner.close(),
    },
  };
}
