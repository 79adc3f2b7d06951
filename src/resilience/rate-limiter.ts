import type { Cluster, Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { RateLimitConfig } from '../config.js';

/** Whose budget a request spends: the signed-in viewer's, or its IP's when it has no valid token. */
export type RateSubject = { readonly kind: 'viewer'; readonly id: string } | { readonly kind: 'ip'; readonly ip: string };

export type RateDecision = { readonly allowed: true } | { readonly allowed: false; readonly retryAfterSeconds: number };

export interface RateLimiter {
  /** Takes `points` cost units from the subject's budget for the current window; refused once it is spent. */
  consume(subject: RateSubject, points: number): Promise<RateDecision>;
  /** Charges cost units after the fact (what a request cost beyond what it paid up front); never refuses. */
  charge(subject: RateSubject, points: number): Promise<void>;
  close(): Promise<void>;
}

export interface RateLimiterOptions {
  /** Shares the budgets across instances; absent, each process counts alone. */
  readonly redis?: Redis | Cluster | undefined;
  /** Redis failed a call: the in-memory limiter answered it instead. */
  readonly onStoreError?: ((error: unknown) => void) | undefined;
}

/**
 * Fixed windows of `windowSeconds`, counted in Redis (one Lua INCRBY+PEXPIRE
 * per call) so that every instance spends from the same budget. Redis absent
 * or failing: an in-memory limiter of the same size takes over for the calls
 * it cannot answer (rate-limiter-flexible's insurance limiter), so a Redis
 * outage loosens the limit to one budget per instance instead of failing
 * requests or turning the limit off.
 */
export function createRateLimiter(config: RateLimitConfig, options: RateLimiterOptions = {}): RateLimiter {
  const limiters = {
    viewer: limiterOf('rate-limit:1:viewer', config.points, config.windowSeconds, options.redis),
    ip: limiterOf('rate-limit:1:ip', config.anonymousPoints, config.windowSeconds, options.redis),
  };
  const keyOf = (subject: RateSubject) => (subject.kind === 'viewer' ? subject.id : subject.ip);

  return {
    async consume(subject, points) {
      try {
        await limiters[subject.kind].consume(keyOf(subject), points);
        return { allowed: true };
      } catch (rejection) {
        if (rejection instanceof RateLimiterRes) {
          return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(rejection.msBeforeNext / 1_000)) };
        }
        // Neither Redis nor the insurance answered: an outage must not refuse traffic.
        options.onStoreError?.(rejection);
        return { allowed: true };
      }
    },
    async charge(subject, points) {
      if (points <= 0) return;
      await limiters[subject.kind].penalty(keyOf(subject), points).catch((error: unknown) => options.onStoreError?.(error));
    },
    async close() {
      options.redis?.disconnect();
    },
  };
}

function limiterOf(keyPrefix: string, points: number, duration: number, redis: Redis | Cluster | undefined): RateLimiterAbstract {
  const memory = new RateLimiterMemory({ keyPrefix, points, duration });
  if (!redis) return memory;
  return new RateLimiterRedis({
    storeClient: redis,
    keyPrefix,
    points,
    duration,
    // While Redis is not connected, go straight to the insurance limiter.
    rejectIfRedisNotReady: true,
    insuranceLimiter: memory,
    // A spent budget is remembered in this process until the window ends: a client
    // flooding past its limit costs no Redis call per request.
    inMemoryBlockOnConsumed: points + 1,
  });
}
