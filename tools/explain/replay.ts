import { CompiledQuery } from 'kysely';
import type { Db } from '../../src/db/database.js';
import type { ExplainJson } from './plan.js';

/** What EXPLAIN accepts; anything else (SET, transaction control) is listed but not explained. */
const EXPLAINABLE = /^\s*(select|insert|update|delete|with|values|merge)\b/i;

export type Replay = { readonly plan: ExplainJson } | { readonly error: string };

/**
 * Runs `EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON)` of one captured statement with
 * its own bound values. ANALYZE *executes* the statement: an INSERT, UPDATE or
 * DELETE really writes. So each replay runs in a transaction of its own that is
 * always rolled back, and a mutation's replay leaves nothing behind. One
 * transaction per statement, so one replay failing (say, an INSERT colliding
 * with the row the operation itself already committed) spoils no other.
 */
export async function explainStatement(db: Db, sql: string, parameters: readonly unknown[]): Promise<Replay> {
  if (!EXPLAINABLE.test(sql)) return { error: 'not a statement EXPLAIN accepts' };
  const transaction = await db.startTransaction().execute();
  try {
    const result = await transaction.executeQuery<Record<string, unknown>>(
      CompiledQuery.raw(`explain (analyze, buffers, format json) ${sql}`, [...parameters]),
    );
    // One row, one column ("QUERY PLAN"; its key is whatever the camelCase plugin made of it).
    const cell = Object.values(result.rows[0] ?? {})[0];
    // pg parses the json column; a driver that does not hands over its text.
    return { plan: (typeof cell === 'string' ? JSON.parse(cell) : cell) as ExplainJson };
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  } finally {
    await transaction.rollback().execute();
  }
}
