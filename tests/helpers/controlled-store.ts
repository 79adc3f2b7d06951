import type { CacheEntry, CacheStore, LeasesTaken } from '../../src/cache/store.js';

/** A write the store has applied but whose answer it holds back, as a Redis reply still on its way. */
export interface HeldWrite {
  /** Settles once the write has reached the store behind. */
  readonly applied: Promise<void>;
  release(): void;
}

/**
 * A store the test steers, around a real one (a MemoryStore or a RedisStore):
 * down (every call fails at once, as a refused connection does), one write
 * failed, or one write's answer held back after it landed, so that what a
 * cache does while it waits for Redis can be interleaved exactly.
 */
export class ControlledStore implements CacheStore {
  down = false;
  /** The fence keys of every write that reached the store behind, in order. */
  readonly fenceWrites: string[][] = [];
  private failNext = false;
  private held: { applied: () => void; released: Promise<void> } | undefined;

  constructor(private readonly inner: CacheStore) {}

  get kind() {
    return this.inner.kind;
  }

  failNextWrite(): void {
    this.failNext = true;
  }

  holdNextWrite(): HeldWrite {
    let applied!: () => void;
    let release!: () => void;
    const appliedPromise = new Promise<void>((resolve) => (applied = resolve));
    this.held = { applied, released: new Promise<void>((resolve) => (release = resolve)) };
    return { applied: appliedPromise, release };
  }

  async mget(keys: readonly string[]): Promise<(Buffer | null)[]> {
    this.failIfDown();
    return this.inner.mget(keys);
  }

  async write(entries: readonly CacheEntry[], remove: readonly string[] = []): Promise<void> {
    this.failIfDown();
    if (this.failNext) {
      this.failNext = false;
      throw new Error('Command timed out');
    }
    const held = this.held;
    this.held = undefined;
    await this.inner.write(entries, remove);
    const fences = entries.map((entry) => entry.key).filter((key) => key.startsWith('fence:'));
    if (fences.length > 0) this.fenceWrites.push(fences);
    if (held) {
      held.applied();
      await held.released;
    }
  }

  async takeLeases(leaseKeys: readonly string[], entryKeys: readonly string[], ttlMs: number): Promise<LeasesTaken> {
    this.failIfDown();
    return this.inner.takeLeases(leaseKeys, entryKeys, ttlMs);
  }

  async ping(): Promise<void> {
    this.failIfDown();
    await this.inner.ping();
  }

  async close(): Promise<void> {
    await this.inner.close();
  }

  private failIfDown(): void {
    if (this.down) throw new Error('connect ECONNREFUSED');
  }
}
