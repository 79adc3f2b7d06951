import { LRUCache } from 'lru-cache';
import type { CacheEntry } from './store.js';

/** The quota's window: a viewer's allowance starts over every minute. */
export const WRITE_QUOTA_WINDOW_MS = 60_000;
/** Viewers whose window this instance remembers; one who falls out starts a fresh window (a few bytes each). */
const TRACKED_VIEWERS_MAX = 100_000;

/**
 * A bound on the cache space one viewer can take: the bytes of entries and
 * responses stored in their scope per window, keys included. Every distinct
 * page, filter or variable set is a new key; past the allowance a viewer's
 * reads still answer (from the cache where it has them, from PostgreSQL
 * otherwise), but nothing more of theirs is stored until the window ends.
 * Entries live at most their tier's TTL, so a viewer holds at most
 * allowance x TTL / window per instance, however many keys they vary: 2 MiB
 * a minute of 5-minute responses make 10 MiB.
 *
 * Counted in the process, not in Redis: a count there would be one more
 * write per miss, the very thing this bounds. N instances allow N times the
 * allowance.
 */
export class CacheWriteQuota {
  private readonly windows = new LRUCache<string, { startedAt: number; bytes: number }>({ max: TRACKED_VIEWERS_MAX });

  constructor(
    private readonly bytesPerWindow: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** The entries of `scope` that fit its allowance, in order, their bytes taken from it; the rest are left out. */
  admit(scope: string, entries: readonly CacheEntry[]): CacheEntry[] {
    const window = this.windowOf(scope);
    const admitted: CacheEntry[] = [];
    for (const entry of entries) {
      const bytes = entry.key.length + entry.value.length;
      if (window.bytes + bytes > this.bytesPerWindow) continue;
      window.bytes += bytes;
      admitted.push(entry);
    }
    return admitted;
  }

  private windowOf(scope: string): { startedAt: number; bytes: number } {
    const now = this.now();
    const current = this.windows.get(scope);
    if (current && now - current.startedAt < WRITE_QUOTA_WINDOW_MS) return current;
    const fresh = { startedAt: now, bytes: 0 };
    this.windows.set(scope, fresh);
    return fresh;
  }
}
