import { randomBytes } from 'node:crypto';
import { CacheUnavailableError, CircuitBreaker, type CircuitState, DEFAULT_COOLDOWN_MS, DEFAULT_FAILURE_THRESHOLD } from './circuit-breaker.js';
import { type CacheNamespace, fenceKey, SCOPE_FENCE } from './namespace.js';
import type { CacheEntry, CacheStore, LeasesTaken } from './store.js';
import type { TierTable } from './tiers.js';

export type CacheLayer = 'entity' | 'response' | 'persisted-query';
export type LookupResult = 'hit' | 'miss' | 'stale';

/** What the cache reports, for metrics. */
export interface CacheObserver {
  lookup(namespace: string, layer: CacheLayer, result: LookupResult, count: number): void;
  error(): void;
  circuit(state: CircuitState): void;
}

export interface CacheOptions {
  /** `off`: entity, list and response caches are bypassed; persisted queries still work. */
  readonly mode: 'on' | 'off';
  readonly tiers: TierTable;
  readonly observer?: CacheObserver | undefined;
  /** Consecutive failures that open the circuit (default 3), and its cooldown in ms (default 1,000). */
  readonly failureThreshold?: number;
  readonly cooldownMs?: number;
  /** How long a request waits for another's load of a cold key before loading it itself (default DEFAULT_LEASE_WAIT_MS). */
  readonly leaseWaitMs?: number;
}

/** Milliseconds a request waits for another's load of a cold key: CACHE_LEASE_WAIT_MS's default, and a Cache's built without it. */
export const DEFAULT_LEASE_WAIT_MS = 300;

/**
 * A fence outlives every entry it guards (the longest by default is a
 * very-long entry served stale for as long again: 2 h; see fencedTtlMs for
 * tiers configured longer), so an expired fence never makes an old entry look
 * valid; and it expires, so fences never pile up.
 */
export const FENCE_TTL_MS = 2 * 24 * 3_600_000;

/**
 * Fences of one user kept while Redis is away, at most. Past it the user's
 * fences give way to the scope fence, which retires all of the user's entries:
 * nothing is lost, and the pending set grows with the users written during an
 * outage, never with the writes.
 */
export const MAX_PENDING_FENCES_PER_SCOPE = 32;

/**
 * The cache as the rest of the code sees it: the store behind a circuit
 * breaker, every failure turned into "not cached" (slower, never wrong, never
 * down), and the fences that writes move.
 *
 * Invalidation that could not reach Redis is kept and replayed: by the one
 * replay in flight at a time, as soon as the circuit closes and every cooldown
 * until it lands, requests or not (other instances trust Redis as soon as
 * they reach it, and know nothing of what this one could not write). Until
 * a user's fences have landed, this instance does not trust the cache for
 * that user: every read of the scope is a miss, so an entry written before the
 * outage cannot outlive a write made during it.
 */
export class Cache {
  readonly enabled: boolean;
  readonly leaseWaitMs: number;
  private readonly breaker: CircuitBreaker;
  private readonly cooldownMs: number;
  /** Per scope, each fence not yet written with the sequence number of the last write that moved it. */
  private readonly pendingFences = new Map<string, Map<string, number>>();
  private pendingSequence = 0;
  private replay: Promise<boolean> | undefined;
  private replayTimer: NodeJS.Timeout | undefined;
  private closing = false;

  constructor(
    readonly store: CacheStore,
    private readonly options: CacheOptions,
  ) {
    this.enabled = options.mode === 'on';
    this.leaseWaitMs = options.leaseWaitMs ?? DEFAULT_LEASE_WAIT_MS;
    this.cooldownMs = options.cooldownMs ?? DEFAULT_COOLDOWN_MS;
    this.breaker = new CircuitBreaker({
      failureThreshold: options.failureThreshold ?? DEFAULT_FAILURE_THRESHOLD,
      cooldownMs: this.cooldownMs,
      probe: () => store.ping(),
      onStateChange: (state) => {
        options.observer?.circuit(state);
        if (state === 'closed' && this.pendingFences.size > 0) void this.replayPendingFences();
      },
    });
  }

  get circuitState(): CircuitState {
    return this.breaker.current;
  }

  get observer(): CacheObserver | undefined {
    return this.options.observer;
  }

  ttlSeconds(namespace: CacheNamespace): number {
    return this.options.tiers[namespace.tier];
  }

  /**
   * How long an entry or response guarded by fences may be kept: its TTL, but
   * never longer than a fence lives. An entry stored before its fence first
   * moved carries the "no fence" token; were it to outlive the fence, it would
   * look valid again (tiers may be configured up to a year).
   */
  fencedTtlMs(ttlMs: number): number {
    return Math.min(ttlMs, FENCE_TTL_MS);
  }

  /**
   * Values of the keys; all null when the cache cannot be reached, and, without
   * a command sent, while the fences of `scope` (the user whose keys these are)
   * wait to be replayed.
   */
  async mget(keys: readonly string[], scope?: string): Promise<(Buffer | null)[]> {
    if (scope !== undefined && this.awaitsReplay(scope)) return keys.map(() => null);
    return this.guarded(() => this.store.mget(keys), () => keys.map(() => null));
  }

  /**
   * Stores `entries` and deletes `remove`. `admit` (a viewer's write quota)
   * picks the entries to send, and is asked only when the write is sent: an
   * open circuit drops the write, and must not spend the viewer's allowance on
   * bytes that never reached the cache (else, after an outage, a busy viewer's
   * quota is gone and nothing of theirs is cached until the window ends).
   */
  async write(
    entries: readonly CacheEntry[],
    remove: readonly string[] = [],
    admit: (entries: readonly CacheEntry[]) => readonly CacheEntry[] = (all) => all,
  ): Promise<void> {
    await this.guarded(() => this.store.write(admit(entries), remove), () => undefined);
  }

  /**
   * Leases: which keys this caller won, and the entries as they stood just
   * after (see CacheStore.takeLeases). Unreachable: all won, nothing found,
   * each request loads for itself. While the fences of `scope` wait to be
   * replayed, its entries are not trusted (see mget): none is answered.
   */
  async lease(leaseKeys: readonly string[], entryKeys: readonly string[], ttlMs: number, scope: string): Promise<LeasesTaken> {
    const nothingFound = () => entryKeys.map(() => null);
    const taken = await this.guarded(
      () => this.store.takeLeases(leaseKeys, entryKeys, ttlMs),
      () => ({ won: leaseKeys.map(() => true), entries: nothingFound() }),
    );
    return this.awaitsReplay(scope) ? { won: taken.won, entries: nothingFound() } : taken;
  }

  /**
   * Moves the fences after a committed write: every entry and response read
   * under the old tokens is retired at once, however many there are.
   */
  async bumpFences(scope: string, fences: readonly string[]): Promise<void> {
    // Off, this process reads no fence; in its own memory no other process can: nobody would read these.
    if (fences.length === 0 || (!this.enabled && this.store.kind === 'memory')) return;
    try {
      await this.breaker.run(() => this.store.write(fences.map((fence) => fenceEntry(scope, fence))));
    } catch (error) {
      this.keepAfterFailure(scope, fences, error);
    }
  }

  /**
   * The current tokens of `fences` (null: never moved), read before a write so
   * that its rows can be written through after it (bumpFencesWritingThrough).
   * Null when the cache cannot vouch for them: off, unreachable, or holding
   * this scope's fences for a replay.
   */
  async fenceTokens(scope: string, fences: readonly string[]): Promise<Map<string, string | null> | null> {
    if (!this.enabled || !this.store.writeIfUnchanged || this.awaitsReplay(scope) || fences.length === 0) return null;
    try {
      const found = await this.breaker.run(() => this.store.mget(fences.map((fence) => fenceKey(scope, fence))));
      return new Map(fences.map((fence, i) => [fence, found[i]?.toString() ?? null]));
    } catch (error) {
      this.countFailure(error);
      return null;
    }
  }

  /**
   * bumpFences, and in the same atomic step the entries `entriesFor` makes
   * from the new tokens, provided every fence of `before` still holds the
   * token read before the write. Had another write moved one since, its row
   * may be newer than ours: the fences are moved and nothing is stored (a
   * miss, never a stale hit). Answers whether the entries were stored.
   */
  async bumpFencesWritingThrough(
    scope: string,
    fences: readonly string[],
    before: ReadonlyMap<string, string | null>,
    entriesFor: (tokens: ReadonlyMap<string, string>) => CacheEntry[],
  ): Promise<boolean> {
    const writeIfUnchanged = this.store.writeIfUnchanged?.bind(this.store);
    if (!writeIfUnchanged || this.awaitsReplay(scope)) return this.bumpFences(scope, fences).then(() => false);
    const moved = fences.map((fence) => fenceEntry(scope, fence));
    const tokens = new Map(fences.map((fence, i) => [fence, String(moved[i]!.value)]));
    const expected = [...before].map(([fence, value]) => ({ key: fenceKey(scope, fence), value }));
    try {
      if (await this.breaker.run(() => writeIfUnchanged(expected, [...moved, ...entriesFor(tokens)]))) return true;
    } catch (error) {
      this.keepAfterFailure(scope, fences, error);
      return false;
    }
    await this.bumpFences(scope, fences);
    return false;
  }

  private keepAfterFailure(scope: string, fences: readonly string[], error: unknown): void {
    this.countFailure(error);
    this.keepPending(scope, fences);
    this.scheduleReplay();
  }

  /**
   * Whether `scope`'s fences wait for a replay: Redis may still hold entries a
   * write retired, and its fences read as never moved, so nothing of the
   * scope's can be checked there until the replay has sent them.
   */
  awaitsReplay(scope: string): boolean {
    return this.pendingFences.has(scope);
  }

  /** Fences of `scope` waiting to be written (the scope fence alone once past the bound); for tests and metrics. */
  pendingFencesOf(scope: string): readonly string[] {
    return [...(this.pendingFences.get(scope)?.keys() ?? [])];
  }

  /**
   * Writes the kept fences, one replay at a time (a caller during one joins
   * it). True when none is left. Only what was sent is forgotten: a fence kept
   * again while the replay waited for Redis (a later write's) stays for the next.
   */
  replayPendingFences(): Promise<boolean> {
    this.replay ??= this.replayOnce().finally(() => (this.replay = undefined));
    return this.replay;
  }

  private async replayOnce(): Promise<boolean> {
    for (const [scope, kept] of [...this.pendingFences]) {
      const sent = new Map(kept);
      try {
        // One write per scope: on a cluster, a scope's fences share a slot.
        await this.breaker.run(() => this.store.write([...sent.keys()].map((fence) => fenceEntry(scope, fence))));
      } catch (error) {
        this.countFailure(error);
        this.scheduleReplay();
        return false;
      }
      this.forgetSent(scope, sent);
    }
    if (this.pendingFences.size === 0) return true;
    this.scheduleReplay();
    return false;
  }

  private keepPending(scope: string, fences: readonly string[]): void {
    const sequence = (this.pendingSequence += 1);
    const kept = this.pendingFences.get(scope) ?? new Map<string, number>();
    this.pendingFences.set(scope, kept);
    if (!kept.has(SCOPE_FENCE)) for (const fence of fences) kept.set(fence, sequence);
    if (kept.has(SCOPE_FENCE) || kept.size > MAX_PENDING_FENCES_PER_SCOPE) {
      kept.clear();
      kept.set(SCOPE_FENCE, sequence);
    }
  }

  private forgetSent(scope: string, sent: ReadonlyMap<string, number>): void {
    const kept = this.pendingFences.get(scope);
    if (!kept) return;
    for (const [fence, sequence] of sent) if (kept.get(fence) === sequence) kept.delete(fence);
    if (kept.size === 0) this.pendingFences.delete(scope);
  }

  private scheduleReplay(): void {
    if (this.replayTimer || this.closing) return;
    this.replayTimer = setTimeout(() => {
      this.replayTimer = undefined;
      void this.replayPendingFences();
    }, this.cooldownMs);
    this.replayTimer.unref();
  }

  private async guarded<T>(call: () => Promise<T>, fallback: () => T): Promise<T> {
    try {
      return await this.breaker.run(call);
    } catch (error) {
      this.countFailure(error);
      return fallback();
    }
  }

  /** Failures of Redis count; calls the open circuit skipped do not. */
  private countFailure(error: unknown): void {
    if (!(error instanceof CacheUnavailableError)) this.options.observer?.error();
  }

  /** A last try at the pending fences (a shutdown must not take them along), then the connection. */
  async close(): Promise<void> {
    this.closing = true;
    this.breaker.stop();
    clearTimeout(this.replayTimer);
    this.replayTimer = undefined;
    if (this.pendingFences.size > 0) await this.replayPendingFences();
    await this.store.close();
  }
}

/** A fence's token while no write has moved it (or once it expired): never one fenceEntry writes. */
export const NO_FENCE_TOKEN = '0';

function fenceEntry(scope: string, fence: string): CacheEntry {
  return { key: fenceKey(scope, fence), value: newFenceToken(), ttlMs: FENCE_TTL_MS };
}

// Random bytes drawn 4 KiB at a time: one call per token cost ~12 µs under load, and a
// 500-task status batch moves 500 fences (measured, tools/batch/measure.ts).
let tokenPool = Buffer.alloc(0);
let tokenOffset = 0;

/** 8 random bytes as base64url, as before: a token equals no other. */
function newFenceToken(): string {
  if (tokenOffset + 8 > tokenPool.length) {
    tokenPool = randomBytes(4096);
    tokenOffset = 0;
  }
  tokenOffset += 8;
  return tokenPool.toString('base64url', tokenOffset - 8, tokenOffset);
}
