import type { FastifyBaseLogger } from 'fastify';
import { unauthenticated } from './auth/tokens.js';
import type { Viewer } from './auth/viewer.js';
import type { Cache } from './cache/cache.js';
import { RequestCache } from './cache/request-cache.js';
import type { CacheWriteQuota } from './cache/write-quota.js';
import type { Db } from './db/database.js';
import type { ReadRouting } from './db/replicas/read-routing.js';
import { RequestRecord } from './http/request-record.js';
import { ResponseBudget } from './limits/response-budget.js';
import { createLoaders, type Loaders } from './loaders.js';
import type { UrlPolicyConfig } from './url-policy.js';
import type { WriteChanges } from './writes/changes.js';
import { WritePath } from './writes/write-path.js';

/**
 * What one request builds while it runs, on first use. Held by reference:
 * Apollo hands resolvers and plugins a shallow copy of the Context, so
 * anything written on the Context itself would be lost to the others.
 * What the HTTP edge reads afterwards is in the RequestRecord (src/http/request-record.ts).
 */
interface RequestState {
  requestCache?: RequestCache;
  loaders?: Loaders;
  reads?: Db;
}

/**
 * What every resolver receives. Built once per request: the viewer is known
 * before execution starts, the loaders are made on first use (an anonymous
 * introspection request never builds them).
 */
export class Context {
  private readonly state: RequestState = {};

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
    /** What the HTTP edge reads once Apollo has run: written by src/http/record-plugin.ts and the limits. */
    readonly record: RequestRecord = new RequestRecord(),
    /** Live updates (src/subscriptions/): what a committed write changed, published to subscribers. */
    private readonly publishChanges?: (viewerId: string, changes: WriteChanges) => void,
    /** Replicas and read-your-writes (src/db/replicas/); absent, reads go where writes do. */
    private readonly routing?: ReadRouting,
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

  /** Where this request's reads go: a replica that has the viewer's writes, else the primary (`db`). */
  get reads(): Db {
    this.state.reads ??= this.routing ? this.routing.readsFor(this.viewer.id) : this.db;
    return this.state.reads;
  }

  get loaders(): Loaders {
    this.state.loaders ??= createLoaders(this.reads, this.viewer.id, this.requestCache, this.responseBudget);
    return this.state.loaders;
  }

  /**
   * The cache policy of this request's response: a query that ran without
   * errors and read through the cache may be stored under what it read.
   */
  responseCachePolicy() {
    const { operationKind, hadErrors } = this.record;
    const { requestCache } = this.state;
    if (operationKind !== 'query' || hadErrors || !requestCache) return null;
    return requestCache.responsePolicy();
  }

  /** The one way a mutation writes: it declares what it changed, the write path does the rest (src/writes/). */
  get writes(): WritePath {
    const publish = this.publishChanges;
    const viewerId = this.viewer.id;
    const routing = this.routing;
    return new WritePath(this.requestCache, () => this.loaders, {
      publish: publish && ((changes) => publish(viewerId, changes)),
      recordWrite: routing && (() => routing.recordWrite(viewerId)),
    });
  }
}
