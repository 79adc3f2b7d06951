import type { ReplicaHealth } from './replica-health.js';
import { POSITION_UNKNOWN, type WritePositions } from './write-positions.js';

/** Why a read went to the primary although replicas are configured (db_reads_on_primary_total{reason}). */
export type PrimaryReason = 'recent_write' | 'position_unknown' | 'no_replica';

/** Where one read statement goes: a replica's index, or the primary and why. */
export type ReadTarget = { readonly replica: number } | { readonly primary: PrimaryReason };

/**
 * The routing decision, per statement: the viewer's last write position (this
 * instance's record and Redis's), then any replica in rotation that has
 * replayed past it, taken in turn; none, the primary. A position that cannot
 * be read sends the read to the primary: slower, never older.
 */
export class ReadRouter {
  private turn = 0;

  constructor(
    private readonly positions: WritePositions,
    private readonly health: ReplicaHealth,
    private readonly onPrimary: (reason: PrimaryReason) => void = () => {},
  ) {}

  async target(viewerId: string): Promise<ReadTarget> {
    const required = await this.positions.required(viewerId);
    const target = this.choose(required);
    if ('primary' in target) this.onPrimary(target.primary);
    return target;
  }

  private choose(required: Awaited<ReturnType<WritePositions['required']>>): ReadTarget {
    if (required === POSITION_UNKNOWN) return { primary: 'position_unknown' };
    const eligible = this.health.eligible(required);
    if (eligible.length > 0) {
      this.turn = (this.turn + 1) % eligible.length;
      return { replica: eligible[this.turn]! };
    }
    return { primary: required !== undefined && this.health.anyInRotation() ? 'recent_write' : 'no_replica' };
  }
}
