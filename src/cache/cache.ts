import { randomBytes } from 'node:crypto';
import { CacheUnavailableError, CircuitBreaker, type CircuitState } from './circuit-breaker.js';
import { type CacheNamespace, fenceKey } from './namespace.js';
import type { CacheEntry, CacheStore } from './store.js';
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
  /** How long a request waits for another's load of a cold key before loading it itself (default 300 ms). */
  readonly leaseWaitMs?: number;
}

/**
 * A fence outlives every entry it guards (the longest by default is a
 * very-long entry served stale for as long again: 2 h; see fencedTtlMs for
 * tiers configured longer), so an expired fence never makes an old entry look
 * valid; and it expires, so fences never pile up.
 */
export const FENCE_TTL_MS = 2 * 24 * 3_600_000;

/**
 * The cache as the rest of the code sees it: the store behind a circuit
 * breaker, every failure turned into "not cached" (slower, never wrong, never
 * down), and the fences that writes move.
 *
 * Invalidation that could not reach Redis is kept and replayed before the
 * cache is trusted again: until then every read is a miss, so an entry written
 * before an outage cannot outlive a write made during it. It is also retried
 * every cooldown in the background, for the other instances' sake.
 */
export class Cache {
  readonly enabled: boolean;
  readonly leaseWaitMs: number;
  private readonly breaker: CircuitBreaker;
  private readonly cooldownMs: number;
  private readonly pendingFences = new Map<string, Set<string>>();
  private replayTimer: NodeJS.Timeout | undefined;

  constructor(
    readonly store: CacheStore,
    private readonly options: CacheOptions,
  ) {
    this.enabled = options.mode === 'on';
    this.leaseWaitMs = options.leaseWaitMs ?? 300;
    this.cooldownMs = options.cooldownMs ?? 1_000;
    this.breaker = new CircuitBreaker({
      failureThreshold: options.failureThreshold ?? 3,
      cooldownMs: this.cooldownMs,
      onStateChange: (state) => options.observer?.circuit(state),
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

  /** Values of the keys; all null when the cache cannot be trusted or reached. */
  async mget(keys: readonly string[]): Promise<(Buffer | null)[]> {
    if (this.pendingFences.size > 0 && !(await this.replayPendingFences())) return keys.map(() => null);
    return this.guarded(() => this.store.mget(keys), () => keys.map(() => null));
  }

  async write(entries: readonly CacheEntry[], remove: readonly string[] = []): Promise<void> {
    await this.guarded(() => this.store.write(entries, remove), () => undefined);
  }

  /** Leases: which keys this caller won. Unreachable: all won, each request loads for itself. */
  async lease(keys: readonly string[], ttlMs: number): Promise<boolean[]> {
    return this.guarded(
      () => this.store.setIfAbsent(keys, '1', ttlMs),
      () => keys.map(() => true),
    );
  }

  /**
   * Moves the fences after a committed write: every entry and response read
   * under the old tokens is retired at once, however many there are.
   */
  async bumpFences(scope: string, fences: readonly string[]): Promise<void> {
    if (fences.length === 0) return;
    try {
      await this.breaker.run(() => this.store.write(fences.map((fence) => fenceEntry(scope, fence))));
    } catch (error) {
      this.countFailure(error);
      const pending = this.pendingFences.get(scope) ?? new Set<string>();
      for (const fence of fences) pending.add(fence);
      this.pendingFences.set(scope, pending);
      this.scheduleReplay();
    }
  }

  /**
   * Retries the pending fences every cooldown until they land, requests or
   * not: other instances trust Redis as soon as they reach it, and know
   * nothing of what this one could not write.
   */
  private scheduleReplay(): void {
    if (this.replayTimer) return;
    this.replayTimer = setTimeout(() => {
      this.replayTimer = undefined;
      void this.replayPendingFences().then(() => {
        if (this.pendingFences.size > 0) this.scheduleReplay();
      });
    }, this.cooldownMs);
    this.replayTimer.unref();
  }

  private async replayPendingFences(): Promise<boolean> {
    try {
      // One write per scope: on a cluster, a scope's fences share a slot.
      for (const [scope, fences] of this.pendingFences) {
        await this.breaker.run(() => this.store.write([...fences].map((fence) => fenceEntry(scope, fence))));
        this.pendingFences.delete(scope);
      }
      return true;
    } catch (error) {
      this.countFailure(error);
      return false;
    }
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
    clearTimeout(this.replayTimer);
    this.replayTimer = undefined;
    if (this.pendingFences.size > 0) await this.replayPendingFences();
    await this.store.close();
  }
}

function fenceEntry(scope: string, fence: string): CacheEntry {
  return { key: fenceKey(scope, fence), value: randomBytes(8).toString('base64url'), ttlMs: FENCE_TTL_MS };
}
