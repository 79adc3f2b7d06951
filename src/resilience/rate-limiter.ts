import type { Cluster, Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { CircuitBreaker, DEFAULT_COOLDOWN_MS, DEFAULT_FAILURE_THRESHOLD } from '../cache/circuit-breaker.js';
import { keyPrefix } from '../cache/namespace.js';
import type { RateLimitConfig } from '../config.js';

/**
 * Whose budget a request spends: the signed-in viewer's, or its IP's when it
 * has no valid token. `registrations` is a viewer's hourly allowance of
 * persisted-query registrations, in KiB (src/cache/persisted-queries.ts).
 */
export type RateSubject =
  | { readonly kind: 'viewer'; readonly id: string }
  | { readonly kind: 'ip'; readonly ip: string }
  | { readonly kind: 'registrations'; readonly id: string };

export type RateDecision = { readonly allowed: true } | { readonly allowed: false; readonly retryAfterSeconds: number };

export interface RateLimiter {
  /** Takes `points` cost units from the subject's budget for the current window; refused once it is spent. */
  consume(subject: RateSubject, points: number): Promise<RateDecision>;
  /**
   * Charges cost units after the fact (what a request cost beyond what it paid
   * up front); never refuses the request it is charged for. Units past the
   * window's budget are a debt the subject pays in the windows that follow:
   * the answer says how long it is refused for (undefined: still within its budget).
   */
  charge(subject: RateSubject, points: number): Promise<RateDecision | void>;
  close(): Promise<void>;
}

export interface RateLimiterOptions {
  /** Shares the budgets across instances; absent, each process counts alone. */
  readonly redis?: Redis | Cluster | undefined;
  /** Redis failed a call: the in-memory limiter answered it instead. */
  readonly onStoreError?: ((error: unknown) => void) | undefined;
}

/** Every rate-limit key is `rate-limit:v1:{viewer|ip|registrations}:<id>`, in the key scheme of src/cache/namespace.ts. */
const RATE_LIMIT_PREFIX = keyPrefix('rate-limit', 1);

/**
 * Fixed windows of `windowSeconds`, counted in Redis (one Lua INCRBY+PEXPIRE
 * per call) so that every instance spends from the same budget. Redis absent
 * or failing: an in-memory limiter of the same size answers instead, so a
 * Redis outage loosens the limit to one budget per instance instead of failing
 * requests or turning the limit off. A circuit breaker in front of Redis (the
 * cache's) keeps a stalled Redis from costing every request a command timeout:
 * once it has opened, the budgets are counted in memory without a Redis call.
 */
export function createRateLimiter(config: RateLimitConfig, options: RateLimiterOptions = {}): RateLimiter {
  const redis = options.redis;
  // One breaker for both budgets: they share the connection.
  const shared = redis && {
    redis,
    breaker: new CircuitBreaker({ failureThreshold: DEFAULT_FAILURE_THRESHOLD, cooldownMs: DEFAULT_COOLDOWN_MS, probe: () => redis.ping() }),
  };
  const limiters = {
    viewer: budgetOf(`${RATE_LIMIT_PREFIX}:viewer`, config.points, config.windowSeconds, shared),
    ip: budgetOf(`${RATE_LIMIT_PREFIX}:ip`, config.anonymousPoints, config.windowSeconds, shared),
    registrations: budgetOf(`${RATE_LIMIT_PREFIX}:registrations`, config.registrationKibPerHour, 3_600, shared),
  };
  const keyOf = (subject: RateSubject) => (subject.kind === 'ip' ? subject.ip : subject.id);

  return {
    async consume(subject, points) {
      try {
        await limiters[subject.kind].consume(keyOf(subject), points);
        return { allowed: true };
      } catch (rejection) {
        if (rejection instanceof RateLimiterRes) {
          return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(rejection.msBeforeNext / 1_000)) };
        }
        // Neither Redis nor memory answered: an outage must not refuse traffic.
        options.onStoreError?.(rejection);
        return { allowed: true };
      }
    },
    async charge(subject, points) {
      if (points <= 0) return;
      try {
        const blockedMs = await limiters[subject.kind].charge(keyOf(subject), points);
        return blockedMs > 0 ? { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(blockedMs / 1_000)) } : { allowed: true };
      } catch (error) {
        options.onStoreError?.(error);
        return undefined;
      }
    },
    async close() {
      shared?.breaker.stop();
      redis?.disconnect();
    },
  };
}

type Store = Pick<RateLimiterAbstract, 'consume' | 'penalty' | 'block'>;

interface Budget {
  consume(key: string, points: number): Promise<RateLimiterRes>;
  /** Adds `points`; past the budget, blocks the key for as many windows as the debt fills. The ms it is blocked for (0: not). */
  charge(key: string, points: number): Promise<number>;
}

/**
 * A debt carried over: a charge that takes a window past its budget blocks the
 * key until the window's end, and one more window per budget's worth of
 * overdraft, so that a request that cost ten windows' worth is paid for with
 * ten windows' wait, not forgotten when its window ends. Blocking sets the
 * window's count past the budget (rate-limiter-flexible's block), so a later
 * charge adds to what is left of the block.
 */
async function chargeWithDebt(store: Store, key: string, points: number, budget: number, duration: number): Promise<number> {
  const result = await store.penalty(key, points);
  const overdraft = result.consumedPoints - budget;
  if (overdraft <= 0) return 0;
  // The rest of this window is refused anyway (its count is past the budget); each whole budget owed beyond it, one window more.
  const windowsOwed = Math.floor(overdraft / budget);
  if (windowsOwed === 0) return result.msBeforeNext;
  const blockedMs = result.msBeforeNext + windowsOwed * duration * 1_000;
  await store.block(key, Math.ceil(blockedMs / 1_000));
  return blockedMs;
}

/** One budget: in Redis behind the breaker when there is one, in memory whenever Redis does not answer. */
function budgetOf(keyPrefix: string, points: number, duration: number, shared: { redis: Redis | Cluster; breaker: CircuitBreaker } | undefined): Budget {
  const memory = new RateLimiterMemory({ keyPrefix, points, duration });
  const inMemory: Budget = { consume: (key, n) => memory.consume(key, n), charge: (key, n) => chargeWithDebt(memory, key, n, points, duration) };
  if (!shared) return inMemory;
  const inRedis = new RateLimiterRedis({
    storeClient: shared.redis,
    keyPrefix,
    points,
    duration,
    // While Redis is not connected, fail at once (and answer from memory).
    rejectIfRedisNotReady: true,
    // A spent budget is remembered in this process until the window ends: a client
    // flooding past its limit costs no Redis call per request.
    inMemoryBlockOnConsumed: points + 1,
  });
  const answer = async <T>(call: (limiter: Budget) => Promise<T>): Promise<T> => {
    let outcome: { refused: boolean; result: T };
    try {
      // A refusal is Redis answering, not failing: it must not count against the circuit.
      outcome = await shared.breaker.run(() =>
        call(redisBudget).then(
          (result) => ({ refused: false, result }),
          (error: unknown) => {
            if (error instanceof RateLimiterRes) return { refused: true, result: error as T };
            throw error;
          },
        ),
      );
    } catch {
      return call(inMemory);
    }
    if (outcome.refused) throw outcome.result;
    return outcome.result;
  };
  const redisBudget: Budget = { consume: (key, n) => inRedis.consume(key, n), charge: (key, n) => chargeWithDebt(inRedis, key, n, points, duration) };
  return {
    consume: (key, pointsToConsume) => answer((limiter) => limiter.consume(key, pointsToConsume)),
    charge: (key, pointsToCharge) => answer((limiter) => limiter.charge(key, pointsToCharge)),
  };
}
