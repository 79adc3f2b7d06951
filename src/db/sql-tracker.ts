import type { KyselyPlugin, LogEvent, QueryId, PluginTransformQueryArgs, PluginTransformResultArgs, QueryResult, RootOperationNode, UnknownRow } from 'kysely';
import type { Db } from './database.js';

/** One SQL statement as Kysely sent it to the database. */
export interface SqlEvent {
  readonly sql: string;
  /** Bound values: for tools that replay a statement (explain), never for logs. */
  readonly parameters: readonly unknown[];
  readonly durationMs: number;
  readonly failed: boolean;
}

/** What one request (or any handle made by `counting`) sent to the database. */
export interface SqlStats {
  statements: number;
  durationMs: number;
}

/** Hears every statement, with the counter of the handle that sent it, if any. */
type Listener = (event: SqlEvent, stats: SqlStats | undefined) => void;

/** The counter each counting handle adds to, so that what is derived from one (withoutCamelCase) counts the same. */
const countersOf = new WeakMap<Db, CountStatements>();

/**
 * Sees every statement the application sends (Kysely's `log` hook), counts it
 * against the counter of the handle that sent it and tells subscribers (tests,
 * the metrics, the slow-query log).
 *
 * A request's statements are told apart by the handle it reads and writes
 * through (`counting`), not by AsyncLocalStorage: in Node 20 an
 * AsyncLocalStorage turns on promise hooks for every promise of the process,
 * which cost ~12 % of the CPU of a task-by-id request (perf, W1). The handle's
 * plugin files each statement's queryId under its counter (Kysely's
 * recommended way to carry data from a query to its result), and the log hook,
 * which sees the same queryId once the statement has run, counts it there.
 * BEGIN and COMMIT are sent by the driver under ids of their own: the
 * transaction helper (`inTransaction`) counts them.
 */
export class SqlTracker {
  private readonly owners = new WeakMap<object, SqlStats>();
  private readonly listeners = new Set<Listener>();

  /** The same database (connections, plugins, log) with every statement sent through it, or through what it hands out, counted in `stats`. */
  counting(db: Db, stats: SqlStats): Db {
    const counter = new CountStatements(stats, this.owners);
    const counted = db.withPlugin(counter);
    countersOf.set(counted, counter);
    return counted;
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The function to pass as Kysely's `log` option. */
  readonly log = (event: LogEvent): void => {
    const record: SqlEvent = {
      sql: event.query.sql,
      parameters: event.query.parameters,
      durationMs: event.queryDurationMillis,
      failed: event.level === 'error',
    };
    const stats = this.owners.get(event.query.queryId);
    if (stats) {
      stats.statements += 1;
      stats.durationMs += record.durationMs;
    }
    for (const listener of this.listeners) listener(record, stats);
  };
}

/** A counting handle's plugin: changes nothing, files the statement under its counter. */
class CountStatements implements KyselyPlugin {
  constructor(
    readonly stats: SqlStats,
    private readonly owners: WeakMap<object, SqlStats>,
  ) {}

  transformQuery({ node, queryId }: PluginTransformQueryArgs): RootOperationNode {
    this.file(queryId);
    return node;
  }

  file(queryId: QueryId): void {
    this.owners.set(queryId, this.stats);
  }

  transformResult({ result }: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return Promise.resolve(result);
  }
}

/**
 * A statement compiled ahead (./fixed-statement.ts) skips the plugins'
 * transformQuery, where a counting handle files it: filed here instead.
 */
export function countAsSent(db: Db, queryId: QueryId): void {
  countersOf.get(db)?.file(queryId);
}

/** `derived` (made from `db` by withoutPlugins, say) counting where `db` counts. */
export function countingLike(db: Db, derived: Db): Db {
  const counter = countersOf.get(db);
  if (counter === undefined) return derived;
  const counted = derived.withPlugin(counter);
  countersOf.set(counted, counter);
  return counted;
}

/**
 * Runs `work` in a transaction on `db`. Kysely's driver sends BEGIN and
 * COMMIT (or ROLLBACK) itself, past every plugin, so they are counted here:
 * they are round trips to the database like any statement.
 */
export async function inTransaction<T>(db: Db, work: (trx: Db) => Promise<T>): Promise<T> {
  const stats = countersOf.get(db)?.stats;
  try {
    return await db.transaction().execute(work);
  } finally {
    if (stats) stats.statements += 2;
  }
}
