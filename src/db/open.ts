import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../config.js';
import { seed } from '../seed/seed.js';
import { connectDatabase, type DatabaseHandle } from './connect.js';
import { createMigrator, migrateToLatest } from './migrate.js';
import type { SqlTracker } from './sql-tracker.js';

/**
 * The database a process serves from. Embedded (no DATABASE_URL): migrated and,
 * on first start, seeded with the demo data, so `npm start` works on a fresh
 * machine. PostgreSQL: migrations are an operator's step (`npm run migrate`);
 * starting against a database that lacks one is refused with that hint.
 */
export async function openDatabase(
  config: Config,
  tracker: SqlTracker,
  logger: FastifyBaseLogger,
  hooks: { readonly onShed?: () => void } = {},
): Promise<DatabaseHandle> {
  const database = await connectDatabase(config.database, {
    tracker,
    onPoolError: (error) => logger.warn({ err: error }, 'an idle PostgreSQL connection failed; the pool replaces it'),
    gate: {
      ...config.databaseGate,
      onShed: hooks.onShed,
      onConnectError: (error) => logger.warn({ err: error }, 'PostgreSQL cannot be reached: requests answer SERVICE_UNAVAILABLE until it can'),
    },
  });
  try {
    if (database.kind === 'pglite') {
      await migrateToLatest(database.db);
      await database.reloadTypes();
      const users = await database.db.selectFrom('users').select((eb) => eb.fn.countAll().as('count')).executeTakeFirstOrThrow();
      if (Number(users.count) === 0) {
        logger.info('First start of the embedded database: seeding the demo data');
        await seed(database.db, { scale: 'small' });
      }
    } else {
      const pending = (await createMigrator(database.db).getMigrations()).filter((m) => m.executedAt === undefined);
      if (pending.length > 0) {
        throw new Error(`The database lacks ${pending.length} migration(s) (${pending[0]!.name}, ...): run npm run migrate first`);
      }
    }
    return database;
  } catch (error) {
    await database.close();
    throw error;
  }
}
