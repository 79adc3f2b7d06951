import { setTimeout as sleep } from 'node:timers/promises';
import { serialize } from 'node:v8';
import { type Cache, NO_FENCE_TOKEN } from './cache.js';
import { type CacheNamespace, entryKey, fenceKey, leaseKey, SCOPE_FENCE } from './namespace.js';
import { responseCacheNamespace } from './response-tier.js';
import type { CacheWriteQuota } from './write-quota.js';
import { readStored } from './store.js';

/** How a loader's batch is cached: its namespace, each key's name and fences, and the load of misses. */
export interface CachedLoad<K, V> {
  readonly namespace: CacheNamespace;
  /** The key's name within the namespace (and the viewer's scope). */
  key(key: K): string;
  /** The fences whose writes change this key's value. */
  fences(key: K): readonly string[];
  /** Loads the keys from PostgreSQL, aligned (one value per key, null for none). */
  load(keys: readonly K[]): Promise<V[]>;
}

/** A row a write holds, as a by-id loader would cache it: its namespace, key and fences (the scope fence is added). */
export interface WrittenRow {
  readonly namespace: CacheNamespace;
  readonly key: string;
  readonly fences: readonly string[];
  readonly value: unknown;
}

/** A cached value with the fence tokens it was loaded under and when it goes stale (epoch ms). */
interface Stored<V> {
  readonly tokens: readonly string[];
  readonly value: V;
  readonly freshUntil: number;
}

/** Long enough for one PostgreSQL load; a crashed holder only delays the others this long. */
const LEASE_MS = 2_000;
/** How often a request waiting for another's load looks for its entry (how long: Cache.leaseWaitMs). */
const LEASE_POLL_MS = 10;

/**
 * The cache as one request sees it, in the viewer's scope. A loader batch is
 * one MGET of its fences and entries; only misses go to PostgreSQL, in one
 * statement, and go back in one pipeline. Entries carry the fence tokens read
 * BEFORE the load, so a read racing a write can only store a value that the
 * write's new tokens already retire. The fences and tiers seen are kept: they
 * make the response's own cache policy.
 */
export class RequestCache {
  private readonly observed = new Map<string, string>();
  private shortestTtlSeconds = Number.POSITIVE_INFINITY;
  /** Some read went around the cache while the scope's fences waited for a replay: no fence tokens vouch for the answer. */
  private readAround = false;

  constructor(
    private readonly cache: Cache,
    readonly scope: string,
    /** The viewer's allowance of cache space (./write-quota.ts); absent, unbounded. */
    private readonly quota?: CacheWriteQuota,
  ) {}

  get enabled(): boolean {
    return this.cache.enabled;
  }

  async load<K, V>(spec: CachedLoad<K, V>, keys: readonly K[]): Promise<V[]> {
    if (!this.cache.enabled || keys.length === 0) return spec.load(keys);
    // The fences read below would say "never moved", and should the replay end before the lease
    // answers, an entry a lost write retired would pass for current: read around the cache until then.
    if (this.cache.awaitsReplay(this.scope)) {
      this.readAround = true;
      return spec.load(keys);
    }
    const ttlSeconds = this.cache.ttlSeconds(spec.namespace);
    this.shortestTtlSeconds = Math.min(this.shortestTtlSeconds, ttlSeconds);

    // Every entry is also guarded by the scope fence, which retires all of the user's at once.
    const keyFences = keys.map((key) => [SCOPE_FENCE, ...spec.fences(key)]);
    const fenceNames = [...new Set(keyFences.flat())];
    const entryKeys = keys.map((key) => entryKey(spec.namespace, this.scope, spec.key(key)));
    const found = await this.cache.mget([...fenceNames.map((fence) => fenceKey(this.scope, fence)), ...entryKeys], this.scope);
    const tokenOf = new Map(fenceNames.map((fence, i) => [fence, found[i]?.toString() ?? NO_FENCE_TOKEN]));
    for (const [fence, token] of tokenOf) if (!this.observed.has(fence)) this.observed.set(fence, token);
    const expected = keyFences.map((fences) => fences.map((fence) => tokenOf.get(fence)!));
    const stored = entryKeys.map((_, i) => valid<V>(found[fenceNames.length + i], expected[i]!));

    const now = Date.now();
    const results: V[] = new Array(keys.length);
    const toLoad: number[] = [];
    const stale: number[] = [];
    stored.forEach((entry, i) => {
      if (entry && entry.freshUntil > now) results[i] = entry.value;
      else if (entry && spec.namespace.staleWhileRevalidate) stale.push(i);
      else toLoad.push(i);
    });

    // One load for the fleet: whoever wins a key's lease loads it; the others
    // wait briefly for its entry (or, when they hold a stale one, serve that).
    const generation = (i: number) => expected[i]!.join('.');
    const contested = [...toLoad, ...stale];
    const leaseKeys = contested.map((i) => leaseKey(entryKeys[i]!, generation(i)));
    const { won, entries: foundAtLease } = await this.cache.lease(leaseKeys, contested.map((i) => entryKeys[i]!), LEASE_MS, this.scope);
    // A lease won just after its previous holder stored the entry and let go:
    // the entry is there now, so it is served and the lease given back at once.
    const mine: number[] = [];
    const givenBack: string[] = [];
    contested.forEach((i, n) => {
      if (!won[n]) return;
      const late = valid<V>(foundAtLease[n], expected[i]!);
      if (late && late.freshUntil > now) {
        results[i] = late.value;
        givenBack.push(leaseKeys[n]!);
      } else mine.push(i);
    });
    const leased = new Set(contested.filter((_, n) => won[n]));
    const waiting = toLoad.filter((i) => !leased.has(i));
    for (const i of stale) if (!leased.has(i)) results[i] = stored[i]!.value;
    const awaited = await this.awaitOthers<V>(waiting.map((i) => entryKeys[i]!), waiting.map((i) => expected[i]!));
    waiting.forEach((i, n) => {
      if (awaited[n]) results[i] = awaited[n].value;
      else mine.push(i);
    });

    this.cache.observer?.lookup(spec.namespace.name, 'entity', 'hit', keys.length - toLoad.length - stale.length);
    this.cache.observer?.lookup(spec.namespace.name, 'entity', 'miss', toLoad.length);
    this.cache.observer?.lookup(spec.namespace.name, 'entity', 'stale', stale.length);
    if (mine.length === 0) {
      if (givenBack.length > 0) await this.cache.write([], givenBack);
      return results;
    }

    const loaded = await spec.load(mine.map((i) => keys[i]!));
    const hardTtlMs = this.cache.fencedTtlMs(ttlSeconds * 1000 * (spec.namespace.staleWhileRevalidate ? 2 : 1));
    const entries = mine.flatMap((i, n) => {
      results[i] = loaded[n]!;
      // A missing row is not cached: creating it then needs no invalidation.
      if (loaded[n] === null || loaded[n] === undefined) return [];
      const value: Stored<V> = { tokens: expected[i]!, value: loaded[n]!, freshUntil: now + ttlSeconds * 1000 };
      return [{ key: entryKeys[i]!, value: serialize(value), ttlMs: hardTtlMs }];
    });
    await this.cache.write(
      entries,
      [...mine.map((i) => leaseKey(entryKeys[i]!, generation(i))), ...givenBack],
      this.quota && ((all) => this.quota!.admit(this.scope, all)),
    );
    return results;
  }

  /**
   * The tokens of the fences guarding rows a write is about to change, read
   * BEFORE its SQL (with the scope fence): what commitWrite checks still holds
   * before it stores the written rows. Null when the cache cannot vouch for them.
   */
  fenceTokensBeforeWrite(fences: readonly string[]): Promise<Map<string, string | null> | null> {
    return this.cache.fenceTokens(this.scope, [SCOPE_FENCE, ...new Set(fences)]);
  }

  /**
   * The one way a committed write reaches the cache: moves `fences`, and stores
   * `rows` as the entries a read would have stored (so the next read is a hit),
   * under the NEW tokens, only if every token of `before` still holds (else
   * another write may hold a newer row: the fences move, nothing is stored).
   * Answers whether the rows were stored.
   */
  async commitWrite(fences: readonly string[], rows: readonly WrittenRow[], before: ReadonlyMap<string, string | null> | null): Promise<boolean> {
    if (!before || rows.length === 0 || !this.cache.enabled) {
      await this.cache.bumpFences(this.scope, fences);
      return false;
    }
    const now = Date.now();
    return this.cache.bumpFencesWritingThrough(this.scope, fences, before, (tokens) => {
      const tokenOf = (fence: string) => tokens.get(fence) ?? before.get(fence) ?? NO_FENCE_TOKEN;
      const entries = rows.map((row) => {
        const ttlSeconds = this.cache.ttlSeconds(row.namespace);
        const value: Stored<unknown> = {
          tokens: [SCOPE_FENCE, ...row.fences].map(tokenOf),
          value: row.value,
          freshUntil: now + ttlSeconds * 1000,
        };
        const hardTtlMs = this.cache.fencedTtlMs(ttlSeconds * 1000 * (row.namespace.staleWhileRevalidate ? 2 : 1));
        return { key: entryKey(row.namespace, this.scope, row.key), value: serialize(value), ttlMs: hardTtlMs };
      });
      return this.quota ? this.quota.admit(this.scope, entries) : entries;
    });
  }

  private async awaitOthers<V>(keys: readonly string[], expected: readonly (readonly string[])[]): Promise<(Stored<V> | null)[]> {
    const answers: (Stored<V> | null)[] = keys.map(() => null);
    for (let waited = 0; waited < this.cache.leaseWaitMs && answers.some((a) => a === null); waited += LEASE_POLL_MS) {
      await sleep(LEASE_POLL_MS);
      const open = answers.flatMap((a, i) => (a === null ? [i] : []));
      const found = await this.cache.mget(open.map((i) => keys[i]!), this.scope);
      open.forEach((i, n) => (answers[i] = valid<V>(found[n], expected[i]!)));
    }
    return answers;
  }

  /**
   * What a response built from this request's reads may be cached under: the
   * shortest tier it read, never longer than the response tier itself (the
   * stored entry and the browser's max-age alike), and the fence tokens it
   * saw. Null when nothing cacheable was read (or the cache is off), or when a
   * read went around the cache (its fences were not read).
   */
  responsePolicy(): { ttlSeconds: number; fences: [string, string][] } | null {
    if (!this.cache.enabled || this.readAround || this.shortestTtlSeconds === Number.POSITIVE_INFINITY) return null;
    const responseTtlMs = this.cache.fencedTtlMs(this.cache.ttlSeconds(responseCacheNamespace) * 1000);
    const ttlSeconds = Math.min(this.shortestTtlSeconds, Math.floor(responseTtlMs / 1000));
    return { ttlSeconds, fences: [...this.observed] };
  }
}

/** The stored value if its fence tokens are the current ones; null for a miss, a retired entry or one it cannot read. */
function valid<V>(raw: Buffer | null | undefined, expected: readonly string[]): Stored<V> | null {
  const entry = raw ? (readStored(raw) as Stored<V> | null) : null;
  if (!entry || !Array.isArray(entry.tokens)) return null;
  return entry.tokens.length === expected.length && entry.tokens.every((token, i) => token === expected[i]) ? entry : null;
}
