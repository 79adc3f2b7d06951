import type { FastifyBaseLogger } from 'fastify';
import { sql } from 'kysely';
import { KyselyReplicationDialect } from 'kysely-replication';
import { connectRedis } from '../../cache/redis-connection.js';
import type { Config } from '../../config.js';
import type { Metrics } from '../../observability/metrics.js';
import { connectDatabase, createKysely, type DatabaseHandle } from '../connect.js';
import type { Db } from '../database.js';
import { SqlTracker } from '../sql-tracker.js';
import { BorrowedDialect, BorrowedDriver, ReplicaDriver } from './borrowed-driver.js';
import { parseLsn } from './lsn.js';
import { ReadRouter } from './read-router.js';
import { ReplicaHealth, type ReplicaState } from './replica-health.js';
import { ReplicaPoller } from './replica-poller.js';
import { WritePositions } from './write-positions.js';

/**
 * Where a request's reads go, and what a write leaves behind for them. The
 * seam the rest of the server sees: Context takes `readsFor(viewer)` for its
 * loaders, the write path calls `recordWrite(viewer)` after commit.
 */
export interface ReadRouting {
  /** A Db for one request's reads (the loaders'); mutations keep the primary's. */
  readsFor(viewerId: string): Db;
  /** After a viewer's write committed, before the cache's fences move: their reads must see it from now on. */
  recordWrite(viewerId: string): Promise<void>;
  /** Each replica as the router sees it (empty without replicas). */
  states(): ReplicaState[];
  close(): Promise<void>;
}

/** No replicas: every read on the primary, nothing to record. */
export function primaryOnly(db: Db): ReadRouting {
  return { readsFor: () => db, recordWrite: async () => {}, states: () => [], close: async () => {} };
}

/** `routing` with each request's reads counted by `count` (SqlTracker.counting for the request). */
export function countingReads(routing: ReadRouting, count: (reads: Db) => Db): ReadRouting {
  return {
    readsFor: (viewerId) => count(routing.readsFor(viewerId)),
    recordWrite: (viewerId) => routing.recordWrite(viewerId),
    states: () => routing.states(),
    close: () => routing.close(),
  };
}

/** A position past any real one: a write whose position could not be read sends its viewer's reads to the primary until it expires. */
const UNREADABLE_POSITION = (1n << 64n) - 1n;

export interface ReplicaDeps {
  readonly tracker: SqlTracker;
  readonly logger: FastifyBaseLogger;
  readonly metrics?: Metrics | undefined;
}

/**
 * DATABASE_REPLICA_URLS set: a pool per replica (connectDatabase, so the
 * primary's settings and load-shedding gate), the poller, the write positions
 * (Redis when REDIS_URL is set, else this instance's own), and a per-request
 * Kysely built on kysely-replication: writes, raw SQL and transactions go to
 * the primary by statement kind; each read asks the router.
 */
export async function connectReplicas(config: Config, primary: DatabaseHandle, deps: ReplicaDeps): Promise<ReadRouting> {
  const { urls } = config.replicas;
  if (urls.length === 0 || primary.kind !== 'postgres') return primaryOnly(primary.db);
  const names = urls.map(replicaName);
  const handles = await Promise.all(
    urls.map((url, index) =>
      connectDatabase(
        { ...config.database, url },
        {
          tracker: deps.tracker,
          onPoolError: (error) => deps.logger.warn({ err: error, replica: names[index] }, 'an idle replica connection failed; the pool replaces it'),
          gate: config.databaseGate,
        },
      ),
    ),
  );
  const health = new ReplicaHealth(names, { maxLagMs: config.replicas.maxLagMs });
  const redis =
    config.cache.redisUrls.length > 0
      ? connectRedis({ urls: config.cache.redisUrls, cluster: config.cache.cluster, commandTimeoutMs: config.cache.commandTimeoutMs })
      : undefined;
  const positions = new WritePositions(config.replicas.readYourWritesTtlMs, redis);
  const readsOnPrimary = (reason: string) => deps.metrics?.replicas.readsOnPrimary.inc({ reason });
  const router = new ReadRouter(positions, health, readsOnPrimary);

  const primaryDialect = new BorrowedDialect(new BorrowedDriver(primary.db));
  const replicaDialects = handles.map(
    (handle, index) =>
      new BorrowedDialect(
        new ReplicaDriver(handle.db, primary.db, {
          failed: () => health.failed(index),
          served: () => deps.metrics?.replicas.statements.inc({ replica: names[index]! }),
          fellBack: () => readsOnPrimary('replica_failed'),
        }),
      ),
  );
  // kysely-replication picks among "replicas" only: the primary is listed last, for the reads no replica may take.
  const [first, ...rest] = [...replicaDialects, primaryDialect];
  const targets: [BorrowedDialect, ...BorrowedDialect[]] = [first!, ...rest];

  const poller = new ReplicaPoller(health, {
    primaryUrl: config.database.url!,
    replicaUrls: urls,
    names,
    pollMs: config.replicas.pollMs,
    ssl: config.database.ssl,
    onError: (name, error) => deps.logger.warn({ err: error, replica: name }, 'a replica poll failed: out of rotation until it answers'),
    onRecovered: (name) => deps.logger.info({ replica: name }, 'a replica answers its polls again'),
  });
  await poller.start();
  deps.metrics?.replicas.watch(() => health.states());

  // The lenders' connections log each statement to the tracker already (Kysely logs at the
  // connection it hands out): the per-request Kysely logs to nobody, else each would count twice.
  const unlogged = new SqlTracker();

  return {
    readsFor(viewerId) {
      const dialect = new KyselyReplicationDialect({
        primaryDialect,
        replicaDialects: targets,
        replicaStrategy: {
          onTransaction: 'error',
          next: async () => {
            const target = await router.target(viewerId);
            return 'replica' in target ? target.replica : replicaDialects.length;
          },
        },
      });
      return createKysely(dialect, unlogged);
    },

    async recordWrite(viewerId) {
      let lsn = UNREADABLE_POSITION;
      try {
        // After commit: the position is past the commit record (synchronous_commit flushed it).
        const { rows } = await sql<{ lsn: string }>`select pg_current_wal_lsn()::text as lsn`.execute(primary.db);
        lsn = parseLsn(rows[0]!.lsn);
      } catch (error) {
        deps.logger.warn({ err: error }, 'the WAL position after a write could not be read: the viewer reads from the primary for a while');
      }
      await positions.record(viewerId, lsn);
    },

    states: () => health.states(),

    async close() {
      await poller.stop();
      positions.close();
      redis?.disconnect();
      await Promise.all(handles.map((handle) => handle.close()));
    },
  };
}

/** host:port/database: a metrics label that names the replica without its credentials. */
export function replicaName(url: string): string {
  const parsed = new URL(url);
  return `${parsed.hostname}:${parsed.port || '5432'}${parsed.pathname}`;
}
