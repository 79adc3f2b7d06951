import type { Lsn } from './lsn.js';

/** What a replica answers when polled. */
export interface ReplicaProbe {
  /** pg_last_wal_replay_lsn(); null when the server is not replaying (not a standby). */
  readonly replayLsn: Lsn | null;
  readonly inRecovery: boolean;
}

export interface HealthOptions {
  /** A replica further behind than this, in ms, leaves rotation (REPLICA_MAX_LAG_MS). */
  readonly maxLagMs: number;
  readonly now?: () => number;
}

/** One replica as the router sees it; what the metrics report. */
export interface ReplicaState {
  readonly name: string;
  /** The last replayed position polled: a lower bound of where it is now (replay only moves forward). */
  readonly replayLsn: Lsn | undefined;
  readonly lagBytes: number;
  readonly lagSeconds: number;
  readonly inRotation: boolean;
}

interface Sample {
  readonly lsn: Lsn;
  /** When the poll of pg_current_wal_lsn() was sent: every commit acknowledged before it is at or below `lsn`. */
  readonly at: number;
}

interface Replica {
  readonly name: string;
  replayLsn: Lsn | undefined;
  /** Every commit acknowledged before this instant (local clock, ms) has been replayed; -Infinity: unknown. */
  coveredUntil: number;
  /** The router saw it fail at this instant; only a poll started later brings it back. */
  failedAt: number | undefined;
  polledOk: boolean;
}

/**
 * How far behind each replica is, from polls, never per request. Lag is
 * measured against the primary's own positions over time: a replica that has
 * replayed the primary's position of instant T holds every commit
 * acknowledged before T, so its lag is now - T. (now() -
 * pg_last_xact_replay_timestamp() would call an idle replica hours behind,
 * and depends on two servers' clocks.)
 */
export class ReplicaHealth {
  private readonly samples: Sample[] = [];
  private readonly replicas: Replica[];
  private readonly now: () => number;

  constructor(
    names: readonly string[],
    private readonly options: HealthOptions,
  ) {
    this.now = options.now ?? Date.now;
    this.replicas = names.map((name) => ({ name, replayLsn: undefined, coveredUntil: Number.NEGATIVE_INFINITY, failedAt: undefined, polledOk: false }));
  }

  get size(): number {
    return this.replicas.length;
  }

  /** The primary's position, polled just before the replicas are. */
  primarySampled(lsn: Lsn, sentAt: number): void {
    this.samples.push({ lsn, at: sentAt });
    // Older samples than the lag bound (and one before it) can no longer keep a replica in rotation.
    const horizon = this.now() - this.options.maxLagMs;
    while (this.samples.length > 2 && this.samples[1]!.at < horizon) this.samples.shift();
  }

  /** A poll of replica `index`, sent at `sentAt`, answered `probe` (or failed: undefined). */
  polled(index: number, sentAt: number, probe: ReplicaProbe | undefined): void {
    const replica = this.replicas[index]!;
    if (!probe || !probe.inRecovery || probe.replayLsn === null) {
      // Down, or no longer a standby (promoted, or pointed at a primary): its positions say nothing.
      replica.polledOk = false;
      replica.coveredUntil = Number.NEGATIVE_INFINITY;
      return;
    }
    replica.polledOk = true;
    replica.replayLsn = probe.replayLsn;
    replica.coveredUntil = Math.max(replica.coveredUntil, this.coveredUntil(probe.replayLsn));
    if (replica.failedAt !== undefined && sentAt > replica.failedAt) replica.failedAt = undefined;
  }

  /** A statement on replica `index` could not run (refused, cut, timed out): out of rotation until a later poll answers. */
  failed(index: number): void {
    this.replicas[index]!.failedAt = this.now();
  }

  /** The replicas a read needing `required` may go to (in rotation, replayed at least that far). */
  eligible(required: Lsn | undefined): number[] {
    const now = this.now();
    const eligible: number[] = [];
    this.replicas.forEach((replica, index) => {
      if (!this.inRotation(replica, now)) return;
      if (required !== undefined && (replica.replayLsn === undefined || replica.replayLsn < required)) return;
      eligible.push(index);
    });
    return eligible;
  }

  anyInRotation(): boolean {
    const now = this.now();
    return this.replicas.some((replica) => this.inRotation(replica, now));
  }

  states(): ReplicaState[] {
    const now = this.now();
    const newest = this.samples.at(-1)?.lsn;
    return this.replicas.map((replica) => ({
      name: replica.name,
      replayLsn: replica.replayLsn,
      lagBytes: newest !== undefined && replica.replayLsn !== undefined && newest > replica.replayLsn ? Number(newest - replica.replayLsn) : 0,
      lagSeconds: Number.isFinite(replica.coveredUntil) ? Math.max(0, now - replica.coveredUntil) / 1000 : Number.POSITIVE_INFINITY,
      inRotation: this.inRotation(replica, now),
    }));
  }

  private inRotation(replica: Replica, now: number): boolean {
    return replica.polledOk && replica.failedAt === undefined && now - replica.coveredUntil <= this.options.maxLagMs;
  }

  /** The latest primary instant whose position `replayLsn` has reached; -Infinity when none polled is that old. */
  private coveredUntil(replayLsn: Lsn): number {
    for (let i = this.samples.length - 1; i >= 0; i -= 1) {
      if (this.samples[i]!.lsn <= replayLsn) return this.samples[i]!.at;
    }
    return Number.NEGATIVE_INFINITY;
  }
}
