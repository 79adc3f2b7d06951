import { mkdir } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { CamelCasePlugin, Kysely, PostgresDialect, type Dialect } from 'kysely';
import pg from 'pg';
import type { DatabaseConfig } from '../config.js';
import { gatePool, type GateOptions } from '../resilience/gated-pool.js';
import type { Db } from './database.js';
import { PGliteDialect } from './pglite-dialect.js';
import { preparingClient, StatementNames } from './prepared-statements.js';
import { lockDataDir } from './pglite-lock.js';
import { pgTypeParsers } from './timestamps.js';
import { countingLike, type SqlTracker } from './sql-tracker.js';

export interface DatabaseHandle {
  readonly db: Db;
  readonly kind: 'postgres' | 'pglite';
  /** Pool counters for readiness and metrics; PGlite has a single session. */
  readonly poolStats: () => { total: number; idle: number; waiting: number };
  /**
   * After migrations created types: PGlite serialises a parameter by the types
   * it loaded when it opened, so until told again an array of a new enum
   * (`$2::task_status[]`) goes out as plain text and fails. pg asks the server.
   */
  readonly reloadTypes: () => Promise<void>;
  readonly close: () => Promise<void>;
}

export interface ConnectOptions {
  readonly tracker: SqlTracker;
  /** Called when an idle pooled connection fails (PostgreSQL restarted, say). */
  readonly onPoolError?: (error: Error) => void;
  /** PGlite only: start from this snapshot in memory instead of the data folder (tests). */
  readonly pgliteSnapshot?: Blob;
  /** PostgreSQL only: the load-shedding gate in front of the pool (the server); absent, none (CLIs). */
  readonly gate?: GateOptions | undefined;
}

export async function connectDatabase(config: DatabaseConfig, options: ConnectOptions): Promise<DatabaseHandle> {
  return config.url === undefined ? connectPGlite(config, options) : connectPostgres(config.url, config, options);
}

function connectPostgres(url: string, config: DatabaseConfig, options: ConnectOptions): DatabaseHandle {
  const pool = new pg.Pool({
    connectionString: url,
    max: config.poolSize,
    connectionTimeoutMillis: config.connectionTimeoutMs,
    // Sent as a startup parameter, so it holds for every statement on the connection.
    statement_timeout: config.statementTimeoutMs,
    maxLifetimeSeconds: config.maxLifetimeSeconds,
    ...(config.ssl ? { ssl: { rejectUnauthorized: true } } : {}),
    // Parameterised statements are prepared once per connection (src/db/prepared-statements.ts).
    Client: preparingClient(new StatementNames()),
    types: pgTypeParsers,
  });
  // Without a listener, an idle client's error (a PostgreSQL restart) crashes the process.
  pool.on('error', (error) => options.onPoolError?.(error));
  const db = createKysely(new PostgresDialect({ pool: options.gate ? gatePool(pool, options.gate) : pool }), options.tracker);
  return {
    db,
    kind: 'postgres',
    poolStats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
    reloadTypes: async () => {},
    close: () => db.destroy(),
  };
}

async function connectPGlite(config: DatabaseConfig, options: ConnectOptions): Promise<DatabaseHandle> {
  let pglite: PGlite;
  let unlock = async () => {};
  if (options.pgliteSnapshot) {
    pglite = await PGlite.create({ loadDataDir: options.pgliteSnapshot });
  } else {
    await mkdir(config.pgliteDataDir, { recursive: true });
    unlock = await lockDataDir(config.pgliteDataDir);
    pglite = await PGlite.create({ dataDir: config.pgliteDataDir });
  }
  const db = createKysely(new PGliteDialect(pglite), options.tracker);
  return {
    db,
    kind: 'pglite',
    poolStats: () => ({ total: 1, idle: 1, waiting: 0 }),
    reloadTypes: () => pglite.refreshArrayTypes(),
    close: async () => {
      await db.destroy();
      await unlock();
    },
  };
}

/**
 * Columns are snake_case in PostgreSQL and camelCase in TypeScript. Nested
 * keys are left alone: they are the user's JSON (tasks.options, users.config).
 */
export function createKysely(dialect: Dialect, tracker: SqlTracker): Db {
  return new Kysely({ dialect, log: tracker.log, plugins: [new CamelCasePlugin({ maintainNestedObjectKeys: true })] });
}

/** A column's field name, as the CamelCasePlugin names it (`first_frame_image_id` is `firstFrameImageId`). */
export function camelCaseOf(column: string): string {
  return column.replace(/_([a-z0-9])/g, (_, next: string) => next.toUpperCase());
}

/** A field's column, as the CamelCasePlugin names it (`firstFrameImageId` is `first_frame_image_id`). */
export function snakeCaseOf(field: string): string {
  return field.replace(/[A-Z]/g, (upper) => `_${upper.toLowerCase()}`);
}

const plainHandles = new WeakMap<Db, Db>();

/**
 * The same database (connections, log, transaction) without the CamelCasePlugin,
 * for hot statements that name their result columns as fields themselves
 * (`created_at as "createdAt"`): the plugin would copy every row to rename
 * its keys. Identifiers in such a statement go to PostgreSQL as written.
 */
export function withoutCamelCase(db: Db): Db {
  let plain = plainHandles.get(db);
  if (plain === undefined) {
    // A request's handle keeps counting its statements (src/db/sql-tracker.ts).
    plain = countingLike(db, db.withoutPlugins());
    plainHandles.set(db, plain);
  }
  return plain;
}
