import { createQueryId, type Compilable, type CompiledQuery } from 'kysely';
import { isDeepStrictEqual } from 'node:util';
import type { Db } from './database.js';
import { countAsSent } from './sql-tracker.js';

/**
 * A statement whose text never changes, compiled by Kysely once per process
 * and then sent with each call's values. Building and compiling a select
 * (a tree of frozen nodes, then a visitor over it) was a tenth of the CPU
 * of a task-by-id request (cpu-prof, W1); the text was the same every time.
 *
 * `parametersOf` says where each argument goes. The first call compiles the
 * statement from its own arguments and checks that Kysely placed them there,
 * so a builder edited one day cannot bind values to the wrong placeholders.
 * Every dialect here compiles with PostgresQueryCompiler, so one text serves
 * every handle. The statement still goes through the handle it is sent on:
 * its plugins' results, its counter (src/db/sql-tracker.ts), its replica
 * routing (a compiled select is still a SelectQueryNode).
 */
export function fixedStatement<Args extends readonly unknown[], Row>(
  build: (db: Db, ...args: Args) => Compilable<Row>,
  parametersOf: (...args: Args) => readonly unknown[],
): (db: Db, ...args: Args) => Promise<Row[]> {
  let compiled: CompiledQuery<Row> | undefined;
  return async (db, ...args) => {
    const parameters = parametersOf(...args);
    if (compiled === undefined) {
      const first = build(db, ...args).compile();
      if (!isDeepStrictEqual(first.parameters, parameters)) {
        throw new Error(`fixedStatement: the compiled parameters ${JSON.stringify(first.parameters)} are not parametersOf's ${JSON.stringify(parameters)}`);
      }
      compiled = first;
    }
    const queryId = createQueryId();
    countAsSent(db, queryId);
    return (await db.executeQuery<Row>({ ...compiled, parameters, queryId })).rows;
  };
}
