import { DummyDriver, Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler, sql, type CompiledQuery } from 'kysely';
import { describe, expect, it } from 'vitest';
import type { Database, Db } from '../../src/db/database.js';
import { fixedStatement } from '../../src/db/fixed-statement.js';

/** A Kysely that compiles as PostgreSQL does and sends nothing anywhere: every statement it would send is kept. */
function compilingOnly(): { db: Db; sent: CompiledQuery[] } {
  const sent: CompiledQuery[] = [];
  const db = new Kysely<Database>({
    dialect: {
      createAdapter: () => new PostgresAdapter(),
      createDriver: () => new DummyDriver(),
      createIntrospector: (kysely) => new PostgresIntrospector(kysely),
      createQueryCompiler: () => new PostgresQueryCompiler(),
    },
    log: (event) => void sent.push(event.query),
  });
  return { db, sent };
}

const byTopic = (db: Db, userId: string, topic: string) => db.selectFrom('tasks').select('id').where('userId', '=', userId).where(sql.ref('topic'), '=', topic);

describe('a fixed statement', () => {
  it('sends one text, compiled once, with each call its own values in their places', async () => {
    const { db, sent } = compilingOnly();
    const find = fixedStatement(byTopic, (userId, topic) => [userId, topic]);
    await find(db, 'u1', 'first');
    await find(db, 'u2', 'second');
    expect(sent.map((query) => [query.sql, query.parameters])).toEqual([
      ['select "id" from "tasks" where "userId" = $1 and "topic" = $2', ['u1', 'first']],
      ['select "id" from "tasks" where "userId" = $1 and "topic" = $2', ['u2', 'second']],
    ]);
    // Each call is its own statement to the counters and the log (src/db/sql-tracker.ts).
    expect(sent[0]!.queryId).not.toBe(sent[1]!.queryId);
  });

  it('refuses, on its first call, a parametersOf that puts the values where the statement does not', async () => {
    const { db, sent } = compilingOnly();
    const misplaced = fixedStatement(byTopic, (userId, topic) => [topic, userId]);
    await expect(misplaced(db, 'u1', 'first')).rejects.toThrow(/compiled parameters \["u1","first"\] are not parametersOf's \["first","u1"\]/);
    expect(sent).toEqual([]);
  });
});
