import type { FastifyBaseLogger } from 'fastify';
import type { SqlEvent, SqlStats, SqlTracker } from '../db/sql-tracker.js';

export interface SqlLogOptions {
  /** A statement taking this long or longer is logged at warn, milliseconds. */
  readonly slowQueryMs: number;
  /** Development: every statement at debug. */
  readonly logSql: boolean;
}

/** A request's statement counter that also names the request, so a statement's log line can say whose it was. */
export interface RequestSqlStats extends SqlStats {
  readonly requestId: string;
}

export function requestSqlStats(requestId: string): RequestSqlStats {
  return { requestId, statements: 0, durationMs: 0 };
}

/**
 * The slow-query log and the development SQL echo. Both log the statement text
 * only: bound values are user data (topics, messages, emails) and never reach
 * a log. Answers the function that stops logging.
 */
export function logSqlStatements(tracker: SqlTracker, logger: FastifyBaseLogger, options: SqlLogOptions): () => void {
  // LOG_SQL is an explicit request for the echo: it shows even when LOG_LEVEL is above debug.
  const echo = options.logSql ? logger.child({}, { level: 'debug' }) : undefined;
  return tracker.subscribe((event, stats) => {
    const slow = event.durationMs >= options.slowQueryMs;
    if (!slow && !echo) return;
    const line = describe(event, stats);
    if (slow) logger.warn(line, 'slow sql statement');
    else echo?.debug(line, 'sql statement');
  });
}

function describe(event: SqlEvent, stats: SqlStats | undefined) {
  const requestId = stats && 'requestId' in stats && typeof stats.requestId === 'string' ? stats.requestId : undefined;
  return {
    reqId: requestId,
    sql: event.sql,
    durationMs: Math.round(event.durationMs * 100) / 100,
    ...(event.failed ? { failed: true } : {}),
  };
}
