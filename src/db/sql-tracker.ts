import { AsyncLocalStorage } from 'node:async_hooks';
import type { LogEvent } from 'kysely';

/** One SQL statement as Kysely sent it to the database. */
export interface SqlEvent {
  readonly sql: string;
  /** Bound values: for tools that replay a statement (explain), never for logs. */
  readonly parameters: readonly unknown[];
  readonly durationMs: number;
  readonly failed: boolean;
}

/** What one request (or any scope run through `track`) sent to the database. */
export interface SqlStats {
  statements: number;
  durationMs: number;
}

type Listener = (event: SqlEvent) => void;

/**
 * Sees every statement the application sends (Kysely's `log` hook), counts it
 * against the current request's scope and tells subscribers (tests, the
 * slow-query log). Transaction control (BEGIN/COMMIT/ROLLBACK) goes through
 * the same hook and counts: it is a round trip to the database too.
 */
export class SqlTracker {
  private readonly scope = new AsyncLocalStorage<SqlStats>();
  private readonly listeners = new Set<Listener>();

  /** Runs `fn` with its own statement counter; what it awaits counts too. */
  track<T>(stats: SqlStats, fn: () => T): T {
    return this.scope.run(stats, fn);
  }

  current(): SqlStats | undefined {
    return this.scope.getStore();
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
    const stats = this.scope.getStore();
    if (stats) {
      stats.statements += 1;
      stats.durationMs += record.durationMs;
    }
    for (const listener of this.listeners) listener(record);
  };
}
