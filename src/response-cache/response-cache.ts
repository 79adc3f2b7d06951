import { createHash } from 'node:crypto';
import { serialize } from 'node:v8';
import { promisify } from 'node:util';
import { gunzip as gunzipCallback, gunzipSync, gzip as gzipCallback, gzipSync } from 'node:zlib';
import { LRUCache } from 'lru-cache';
import { canonicalJson } from '../canonical-json.js';
import { type Cache, NO_FENCE_TOKEN } from '../cache/cache.js';
import { entryKey, fenceKey } from '../cache/namespace.js';
import { responseCacheNamespace } from '../cache/response-tier.js';
import { readStored } from '../cache/store.js';
import type { CacheWriteQuota } from '../cache/write-quota.js';
import type { GraphQLHttpParams } from '../http/graphql-params.js';
import { sha256Hex } from '../sha256.js';

// zlib's async forms run on libuv's thread pool: a megabyte compresses without holding the event loop.
const gzip = promisify(gzipCallback);
const gunzip = promisify(gunzipCallback);
/**
 * Up to this size zlib runs inline: well under a millisecond, and the response
 * is stored before the same client's next request arrives. Larger bodies go
 * to the thread pool (a few ms of latency to the store, none to the event loop).
 */
const INLINE_ZLIB_MAX_BYTES = 32 * 1024;
const compress = (raw: Buffer) => (raw.length <= INLINE_ZLIB_MAX_BYTES ? gzipSync(raw) : gzip(raw));
const decompress = (gzipped: Buffer) => (gzipped.length <= INLINE_ZLIB_MAX_BYTES / 4 ? gunzipSync(gzipped) : gunzip(gzipped));

/** Responses at least this large are stored (and sent) gzipped. */
const COMPRESS_FROM_BYTES = 1_024;
/** Operations whose kind (query or not) this instance has learned. */
const KNOWN_OPERATIONS_MAX = 10_000;

/** Which cached response a request would be, and whether its operation is known to be a query. */
export interface ResponseIdentity {
  readonly operation: string;
  readonly key: string;
  readonly scope: string;
}

interface StoredResponse {
  /** The operation Apollo resolved when the response was computed (for logs and metrics). */
  readonly operationName: string | undefined;
  readonly fences: readonly [string, string][];
  readonly body: Buffer;
  readonly gzipped: boolean;
  readonly etag: string;
  readonly expiresAt: number;
}

export interface CachedResponse {
  readonly operationName: string | undefined;
  readonly body: Buffer;
  readonly gzipped: boolean;
  readonly etag: string;
}

/**
 * Caches whole responses of query operations before Apollo runs at all: a
 * hit costs two Redis round trips (the entry, then the fences it was built
 * under) and no parsing, validation or execution. A response is stored with
 * the fence tokens its reads saw, so any write to anything in it retires it.
 */
export class ResponseCache {
  private readonly operationKinds = new LRUCache<string, 'query' | 'other'>({ max: KNOWN_OPERATIONS_MAX });

  constructor(
    private readonly cache: Cache,
    /** The viewers' allowances of cache space (src/cache/write-quota.ts); absent, unbounded. */
    private readonly quota?: CacheWriteQuota,
  ) {}

  /** `queryHash`: the hex SHA-256 of `params.query`, when the caller has made it already (src/limits/document-guard.ts). */
  identify(params: GraphQLHttpParams, viewerId: string | undefined, queryHash?: string): ResponseIdentity | null {
    if (!this.cache.enabled || viewerId === undefined) return null;
    const documentId = documentIdOf(params, queryHash);
    const variables = parseVariables(params.variables);
    if (documentId === null || variables === undefined) return null;
    const operation = `${documentId}:${typeof params.operationName === 'string' ? params.operationName : ''}`;
    // Hashed when first asked for: a known mutation is never looked up nor stored,
    // and a 500-item batch's variables cost ~2 ms to hash.
    let key: string | undefined;
    return {
      operation,
      scope: viewerId,
      get key() {
        key ??= entryKey(responseCacheNamespace, viewerId, createHash('sha256').update(operation).update('\n').update(canonicalJson(variables)).digest('base64url'));
        return key;
      },
    };
  }

  /** Apollo told us what the operation is; only queries are ever stored. */
  learn(identity: ResponseIdentity, kind: 'query' | 'other'): void {
    this.operationKinds.set(identity.operation, kind);
  }

  /**
   * Operations this instance has not seen yet are looked up too: only a query's
   * response is ever stored under a key (the key names the document and the
   * operation), so an entry that exists is one, and another instance (or the
   * cache:warm command) may have stored it. Known mutations skip the round trip.
   */
  async lookup(identity: ResponseIdentity): Promise<CachedResponse | null> {
    if (this.operationKinds.get(identity.operation) === 'other') return null;
    const [raw] = await this.cache.mget([identity.key], identity.scope);
    const stored = raw ? (readStored(raw) as StoredResponse | null) : null;
    const readable = stored !== null && Array.isArray(stored.fences) && Buffer.isBuffer(stored.body);
    const fresh = readable && stored.expiresAt > Date.now() && (await this.fencesHold(identity.scope, stored.fences));
    this.cache.observer?.lookup(responseCacheNamespace.name, 'response', fresh ? 'hit' : 'miss', 1);
    if (!fresh || !stored) return null;
    return {
      operationName: stored.operationName,
      body: stored.body,
      gzipped: stored.gzipped,
      etag: stored.etag,
    };
  }

  async store(
    identity: ResponseIdentity,
    operationName: string | undefined,
    body: string,
    policy: { ttlSeconds: number; fences: [string, string][] },
  ): Promise<void> {
    if (this.operationKinds.get(identity.operation) !== 'query') return;
    const ttlMs = this.cache.fencedTtlMs(Math.min(policy.ttlSeconds, this.cache.ttlSeconds(responseCacheNamespace)) * 1000);
    const raw = Buffer.from(body);
    const gzipped = raw.length >= COMPRESS_FROM_BYTES;
    const stored: StoredResponse = {
      operationName,
      fences: policy.fences,
      body: gzipped ? await compress(raw) : raw,
      gzipped,
      etag: etagOf(body),
      expiresAt: Date.now() + ttlMs,
    };
    const entry = { key: identity.key, value: serialize(stored), ttlMs };
    await this.cache.write([entry], [], this.quota && ((all) => this.quota!.admit(identity.scope, all)));
  }

  private async fencesHold(scope: string, fences: readonly [string, string][]): Promise<boolean> {
    if (fences.length === 0) return true;
    const current = await this.cache.mget(fences.map(([fence]) => fenceKey(scope, fence)), scope);
    return fences.every(([, token], i) => (current[i]?.toString() ?? NO_FENCE_TOKEN) === token);
  }
}

export function etagOf(body: string | Buffer): string {
  return `"${createHash('sha1').update(body).digest('base64url')}"`;
}

/** The body as the client takes it: gzipped if it accepts gzip, plain otherwise. */
export async function decodeFor(response: CachedResponse, acceptsGzip: boolean): Promise<{ body: Buffer; gzipped: boolean }> {
  if (!response.gzipped || acceptsGzip) return { body: response.body, gzipped: response.gzipped };
  return { body: await decompress(response.body), gzipped: false };
}

/**
 * The document's sha256, as automatic persisted queries name it: hashed from
 * the text when the request carries it (so a hash that does not match its
 * text never names another document's response), the extension's hash otherwise.
 */
function documentIdOf(params: GraphQLHttpParams, queryHash: string | undefined): string | null {
  if (typeof params.query === 'string') return `sha256:${queryHash ?? sha256Hex(params.query)}`;
  const extensions = typeof params.extensions === 'string' ? safeParse(params.extensions) : params.extensions;
  const hash = (extensions as { persistedQuery?: { sha256Hash?: unknown } } | undefined)?.persistedQuery?.sha256Hash;
  return typeof hash === 'string' ? `sha256:${hash}` : null;
}

/** Variables as an object (GET sends them as a JSON string); undefined when unusable. */
function parseVariables(variables: unknown): unknown {
  if (variables === undefined || variables === null) return {};
  if (typeof variables === 'string') return safeParse(variables);
  return typeof variables === 'object' ? variables : undefined;
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
