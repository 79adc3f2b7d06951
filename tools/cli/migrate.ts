import { parseArgs } from 'node:util';
import { loadConfig } from '../../src/config.js';
import { connectDatabase } from '../../src/db/connect.js';
import { createMigrator } from '../../src/db/migrate.js';
import { SqlTracker } from '../../src/db/sql-tracker.js';

/**
 * `npm run migrate` applies pending migrations to DATABASE_URL (or the embedded
 * database); `npm run migrate -- --status` lists them without applying any.
 */
const { values } = parseArgs({ options: { status: { type: 'boolean' } } });
const config = loadConfig(process.env);
const database = await connectDatabase(config.database, { tracker: new SqlTracker() });
const migrator = createMigrator(database.db);

try {
  if (values.status) {
    for (const migration of await migrator.getMigrations()) {
      console.log(`${migration.executedAt ? `applied ${migration.executedAt.toISOString()}` : 'pending                          '}  ${migration.name}`);
    }
  } else {
    const { results, error } = await migrator.migrateToLatest();
    for (const result of results ?? []) console.log(`${result.status === 'Success' ? 'applied' : result.status}  ${result.migrationName}`);
    if (error) throw error;
    if (results?.length === 0) console.log('Nothing to apply: the database is up to date');
  }
} catch (error) {
  console.error('Migration failed:', error);
  process.exitCode = 1;
} finally {
  await database.close();
}
