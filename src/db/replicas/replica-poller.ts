import pg from 'pg';
import { parseLsn } from './lsn.js';
import type { ReplicaHealth } from './replica-health.js';

export interface PollerOptions {
  readonly primaryUrl: string;
  readonly replicaUrls: readonly string[];
  /** For the log: never the URLs, which may carry passwords. */
  readonly names: readonly string[];
  readonly pollMs: number;
  readonly ssl: boolean;
  /** Once per outage, not per poll. */
  readonly onError?: ((replica: string, error: unknown) => void) | undefined;
  readonly onRecovered?: ((replica: string) => void) | undefined;
}

/** A poll that has not answered in this long counts as failed, in ms (a replica cut off by the network never refuses). */
const POLL_TIMEOUT_MS = 1_000;

/**
 * Polls the primary's position, then every replica's replayed position, each
 * `pollMs` (one round at a time, never overlapping), on connections of its
 * own: a replica whose pool is saturated by reads is busy, not behind, and
 * the requests' SQL log never sees these statements.
 */
export class ReplicaPoller {
  private readonly names: readonly string[];
  private readonly primary: pg.Pool;
  private readonly replicas: pg.Pool[];
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private round: Promise<void> = Promise.resolve();
  private readonly failing = new Set<string>();

  constructor(
    private readonly health: ReplicaHealth,
    private readonly options: PollerOptions,
  ) {
    const pool = (connectionString: string) => {
      const created = new pg.Pool({
        connectionString,
        max: 1,
        connectionTimeoutMillis: POLL_TIMEOUT_MS,
        query_timeout: POLL_TIMEOUT_MS,
        ...(options.ssl ? { ssl: { rejectUnauthorized: true } } : {}),
      });
      created.on('error', () => undefined);
      return created;
    };
    this.names = options.names;
    this.primary = pool(options.primaryUrl);
    this.replicas = options.replicaUrls.map(pool);
  }

  /** Polls once now (so the first requests already know the replicas), then every pollMs. */
  async start(): Promise<void> {
    await this.pollOnce();
    this.schedule();
  }

  /** One round: the primary first, so a replica's position is compared with one taken before it. */
  async pollOnce(): Promise<void> {
    this.round = this.poll();
    await this.round;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.round;
    await Promise.all([this.primary, ...this.replicas].map((pool) => pool.end().catch(() => undefined)));
  }

  private answered(name: string): void {
    if (this.failing.delete(name)) this.options.onRecovered?.(name);
  }

  private unanswered(name: string, error: unknown): void {
    if (!this.failing.has(name)) this.options.onError?.(name, error);
    this.failing.add(name);
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      void this.pollOnce().finally(() => this.schedule());
    }, this.options.pollMs);
    this.timer.unref();
  }

  private async poll(): Promise<void> {
    const sentAt = Date.now();
    try {
      const { rows } = await this.primary.query<{ lsn: string }>('select pg_current_wal_lsn()::text as lsn');
      this.health.primarySampled(parseLsn(rows[0]!.lsn), sentAt);
      this.answered('primary');
    } catch (error) {
      // No new sample: replicas cannot show progress past the last one, and drift out past the bound.
      this.unanswered('primary', error);
    }
    await Promise.all(
      this.replicas.map(async (pool, index) => {
        const replicaSentAt = Date.now();
        try {
          const { rows } = await pool.query<{ lsn: string | null; recovery: boolean }>(
            'select pg_last_wal_replay_lsn()::text as lsn, pg_is_in_recovery() as recovery',
          );
          const row = rows[0]!;
          this.health.polled(index, replicaSentAt, { replayLsn: row.lsn === null ? null : parseLsn(row.lsn), inRecovery: row.recovery });
          this.answered(this.names[index]!);
        } catch (error) {
          this.health.polled(index, replicaSentAt, undefined);
          this.unanswered(this.names[index]!, error);
        }
      }),
    );
  }
}
