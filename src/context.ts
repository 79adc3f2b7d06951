import type { FastifyBaseLogger } from 'fastify';
import { unauthenticated } from './auth/tokens.js';
import type { Viewer } from './auth/viewer.js';
import type { Cache } from './cache/cache.js';
import { RequestCache } from './cache/request-cache.js';
import type { CacheWriteQuota } from './cache/write-quota.js';
import type { Db } from './db/database.js';
import { ResponseBudget } from './limits/response-budget.js';
import { createLoaders, type Loaders } from './loaders.js';
import type { UrlPolicyConfig } from './url-policy.js';

/**
 * What one request learns and builds while it runs. Held by reference:
 * Apollo hands resolvers and plugins a shallow copy of the Context, so
 * anything written on the Context itself would be lost to the others.
 */
export interface RequestState {
  operationName?: string | undefined;
  operationKind?: 'query' | 'mutation' | 'subscription' | undefined;
  hadErrors: boolean;
  /** The operation's estimated cost (src/limits/cost.ts): what the rate limit charges the request. */
  cost?: number;
  requestCache?: RequestCache;
  loaders?: Loaders;
  /** Selections of the client's document when graphql-js validated it (src/limits/pre-validation.ts): charged by the rate limit. */
  validatedSelections?: number;
  /** The document failed validation or broke a query limit: remembered, so that a repeat is refused at once. */
  documentRejected?: boolean;
}

/**
 * What every resolver receives. Built once per request: the viewer is known
 * before execution starts, the loaders are made on first use (an anonymous
 * introspection request never builds them).
 */
export class Context {
  readonly state: RequestState = { hadErrors: false };

  constructor(
    readonly requestId: string,
    private readonly authenticatedViewer: Viewer | null,
    readonly db: Db,
    readonly log: FastifyBaseLogger,
    private readonly cache: Cache,
    /** Which URLs a write may store (src/url-policy.ts). */
    readonly resourceUrls: UrlPolicyConfig,
    /** How long createTasks' idempotency keys answer their first call (IDEMPOTENCY_KEY_TTL_S). */
    readonly idempotencyKeyTtlSeconds: number,
    /** The bytes of large values this response may still carry (src/limits/response-budget.ts). */
    readonly responseBudget: ResponseBudget = new ResponseBudget(Number.POSITIVE_INFINITY),
    /** Every viewer's allowance of cache space, shared by the process's requests (src/cache/write-quota.ts). */
    private readonly cacheWriteQuota?: CacheWriteQuota,
  ) {}

  /** The signed-in user; every data field needs one. */
  get viewer(): Viewer {
    if (!this.authenticatedViewer) throw unauthenticated('Sign in: send "Authorization: Bearer <token>"');
    return this.authenticatedViewer;
  }

  /** The signed-in user's id, or undefined: for what anonymous clients may also do, differently (persisted queries). */
  get signedInViewerId(): string | undefined {
    return this.authenticatedViewer?.id;
  }

  /** The cache in the viewer's scope: everything it reads and stores is this user's only. */
  get requestCache(): RequestCache {
    this.state.requestCache ??= new RequestCache(this.cache, this.viewer.id, this.cacheWriteQuota);
    return this.state.requestCache;
  }

  get loaders(): Loaders {
    this.state.loaders ??= createLoaders(this.db, this.viewer.id, this.requestCache, this.responseBudget);
    return this.state.loaders;
  }

  /**
   * The cache policy of this request's response: a query that ran without
   * errors and read through the cache may be stored under what it read.
   */
  responseCachePolicy() {
    const { operationKind, hadErrors, requestCache } = this.state;
    if (operationKind !== 'query' || hadErrors || !requestCache) return null;
    return requestCache.responsePolicy();
  }

  /**
   * After a committed write: moves the fences of what it changed, so that no
   * cached entry or response read before it is served again, on any instance.
   * Awaited before the mutation answers.
   */
  invalidate(fences: readonly string[]): Promise<void> {
    return this.cache.bumpFences(this.viewer.id, fences);
  }
}
