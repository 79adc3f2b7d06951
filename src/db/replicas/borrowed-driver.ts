import {
  CompiledQuery,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type Kysely,
  type QueryResult,
  type TransactionSettings,
} from 'kysely';
import { ErrorCode } from '../../errors.js';
import type { Db } from '../database.js';

/**
 * A Dialect whose connections are borrowed from a Kysely the process already
 * holds (the primary's, a replica's: each built by connectDatabase with its
 * pool, gate and settings). Nothing of the lender runs but its pool: no log,
 * no plugins; the borrowing Kysely logs and transforms once.
 */
export class BorrowedDialect implements Dialect {
  constructor(private readonly driver: Driver) {}
  createDriver(): Driver {
    return this.driver;
  }
  createQueryCompiler() {
    return new PostgresQueryCompiler();
  }
  createAdapter() {
    return new PostgresAdapter();
  }
  createIntrospector(db: Kysely<unknown>) {
    return new PostgresIntrospector(db);
  }
}

export interface BorrowedConnection extends DatabaseConnection {
  release(): void;
}

/** A connection of `lender`'s pool, held until release(). */
export function borrowConnection(lender: Db): Promise<BorrowedConnection> {
  return new Promise((resolve, reject) => {
    let release!: () => void;
    const released = new Promise<void>((done) => (release = done));
    // getExecutor is Kysely's own (marked internal): the one way to a pooled connection without a statement of its own.
    lender
      .getExecutor()
      .provideConnection(async (connection) => {
        resolve({
          executeQuery: (query) => connection.executeQuery(query),
          streamQuery: (query, chunkSize) => connection.streamQuery(query, chunkSize),
          release,
        });
        await released;
      })
      .catch(reject);
  });
}

/** Shared by every request's Kysely: init and destroy are the lender's business. */
export class BorrowedDriver implements Driver {
  constructor(protected readonly lender: Db) {}
  async init(): Promise<void> {}
  async destroy(): Promise<void> {}
  acquireConnection(): Promise<DatabaseConnection> {
    return borrowConnection(this.lender);
  }
  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    (connection as BorrowedConnection).release();
  }
  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    const isolation = settings.isolationLevel ? ` isolation level ${settings.isolationLevel}` : '';
    const access = settings.accessMode ? ` ${settings.accessMode}` : '';
    await connection.executeQuery(CompiledQuery.raw(`start transaction${isolation}${access}`));
  }
  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('commit'));
  }
  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('rollback'));
  }
}

export interface ReplicaDriverHooks {
  /** The replica could not take or finish a statement: out of rotation until a later poll answers. */
  readonly failed: () => void;
  /** A statement the replica answered. */
  readonly served: () => void;
  /** A read the replica could not answer ran on the primary instead. */
  readonly fellBack: () => void;
}

/**
 * A replica's connections, with the primary behind them: a read the replica
 * cannot take (down, refused, cut mid-statement, cancelled by a conflict with
 * recovery) runs on the primary instead, so a replica failing fails no
 * request. Only reads come here (kysely-replication sends writes, raw SQL and
 * transactions to the primary), so running one again is safe.
 */
export class ReplicaDriver extends BorrowedDriver {
  constructor(
    replica: Db,
    private readonly primary: Db,
    private readonly hooks: ReplicaDriverHooks,
  ) {
    super(replica);
  }

  override async acquireConnection(): Promise<DatabaseConnection> {
    let connection: BorrowedConnection;
    try {
      connection = await borrowConnection(this.lender);
    } catch (error) {
      if (!replicaUnavailable(error)) throw error;
      this.hooks.failed();
      this.hooks.fellBack();
      return borrowConnection(this.primary);
    }
    return this.withFallback(connection);
  }

  private withFallback(connection: BorrowedConnection): BorrowedConnection {
    return {
      ...connection,
      executeQuery: async <R>(query: CompiledQuery): Promise<QueryResult<R>> => {
        try {
          const result = await connection.executeQuery<R>(query);
          this.hooks.served();
          return result;
        } catch (error) {
          if (!replicaUnavailable(error)) throw error;
          if (!canceledByRecovery(error)) this.hooks.failed();
          this.hooks.fellBack();
          const onPrimary = await borrowConnection(this.primary);
          try {
            return await onPrimary.executeQuery<R>(query);
          } finally {
            onPrimary.release();
          }
        }
      },
    };
  }
}

/** The gated pool reports every way a server can be away as SERVICE_UNAVAILABLE (src/resilience/gated-pool.ts). */
function replicaUnavailable(error: unknown): boolean {
  return (error as { extensions?: { code?: unknown } } | null)?.extensions?.code === ErrorCode.SERVICE_UNAVAILABLE || canceledByRecovery(error);
}

/** 40001 on a standby: a statement cancelled because replay needed what it held; the primary has no such conflict. */
function canceledByRecovery(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === '40001';
}
