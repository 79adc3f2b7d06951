import type { Cluster, Redis } from 'ioredis';
import { keyPrefix } from '../../cache/namespace.js';
import { lsnFromKeyText, lsnKeyText, maxLsn, type Lsn } from './lsn.js';

/** A viewer's position could not be read (Redis away): their reads go to the primary. */
export const POSITION_UNKNOWN = Symbol('position unknown');
export type RequiredPosition = Lsn | undefined | typeof POSITION_UNKNOWN;

/** A record that could not reach Redis is retried this often until it lands or expires, in ms. */
const RETRY_MS = 1_000;
/** Past this many local records, expired ones are swept on the next write. */
const SWEEP_ABOVE = 10_000;

/**
 * Keeps the larger of the stored and the new position (both 16 hex digits, so
 * string order is position order) and restarts the TTL: two instances
 * recording one viewer's writes in either order leave the later one.
 */
const RECORD_SCRIPT = `
local current = redis.call('GET', KEYS[1])
if current and current >= ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
else
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
end
return 1`;

/** `replica-lsn:v1:{<viewer>}`: in the viewer's hash tag, the slot of all of their cache keys. */
export function positionKey(viewerId: string): string {
  return `${keyPrefix('replica-lsn', 1)}:{${viewerId}}`;
}

interface Held {
  lsn: Lsn;
  expiresAt: number;
}

/**
 * Where each viewer last wrote: the primary's WAL position after their write
 * committed, for `ttlMs`. Shared by every instance through Redis; this
 * instance also keeps its own record, which is all there is without Redis
 * (then read-your-writes holds for requests served by this instance only).
 */
export class WritePositions {
  private readonly local = new Map<string, Held>();
  private readonly pending = new Map<string, Held>();
  private retryTimer: NodeJS.Timeout | undefined;

  constructor(
    readonly ttlMs: number,
    private readonly redis?: Redis | Cluster,
    private readonly now: () => number = Date.now,
  ) {}

  async record(viewerId: string, lsn: Lsn): Promise<void> {
    const held = hold(this.local, viewerId, lsn, this.now() + this.ttlMs);
    if (this.local.size > SWEEP_ABOVE) sweep(this.local, this.now());
    if (!this.redis) return;
    try {
      await this.send(viewerId, held);
    } catch {
      // Other instances cannot read Redis either while it is away (their reads go to
      // the primary); the record is sent again so that it is there when Redis is back.
      hold(this.pending, viewerId, held.lsn, held.expiresAt);
      this.retryTimer ??= setTimeout(() => void this.retryPending(), RETRY_MS).unref();
    }
  }

  /**
   * The position a read of this viewer must see: the newest of theirs still
   * held, undefined when none, POSITION_UNKNOWN when Redis cannot say.
   * Asked per statement, never remembered: a read cached under fences read
   * after a write must not be routed by a position read before it.
   */
  async required(viewerId: string): Promise<RequiredPosition> {
    const mine = live(this.local, viewerId, this.now());
    if (!this.redis) return mine;
    try {
      const stored = await this.redis.get(positionKey(viewerId));
      return maxLsn(mine, stored === null ? undefined : lsnFromKeyText(stored));
    } catch {
      return POSITION_UNKNOWN;
    }
  }

  close(): void {
    clearTimeout(this.retryTimer);
  }

  private async send(viewerId: string, held: Held): Promise<void> {
    const ttlMs = held.expiresAt - this.now();
    if (ttlMs <= 0) return;
    await this.redis!.eval(RECORD_SCRIPT, 1, positionKey(viewerId), lsnKeyText(held.lsn), String(ttlMs));
  }

  private async retryPending(): Promise<void> {
    this.retryTimer = undefined;
    for (const [viewerId, held] of this.pending) {
      try {
        await this.send(viewerId, held);
        if (this.pending.get(viewerId) === held) this.pending.delete(viewerId);
      } catch {
        break;
      }
    }
    sweep(this.pending, this.now());
    if (this.pending.size > 0) this.retryTimer = setTimeout(() => void this.retryPending(), RETRY_MS).unref();
  }
}

function hold(map: Map<string, Held>, viewerId: string, lsn: Lsn, expiresAt: number): Held {
  const current = map.get(viewerId);
  const held = current && current.lsn > lsn ? { lsn: current.lsn, expiresAt: Math.max(expiresAt, current.expiresAt) } : { lsn, expiresAt };
  map.set(viewerId, held);
  return held;
}

function live(map: Map<string, Held>, viewerId: string, now: number): Lsn | undefined {
  const held = map.get(viewerId);
  if (!held) return undefined;
  if (held.expiresAt > now) return held.lsn;
  map.delete(viewerId);
  return undefined;
}

function sweep(map: Map<string, Held>, now: number): void {
  for (const [key, held] of map) if (held.expiresAt <= now) map.delete(key);
}
