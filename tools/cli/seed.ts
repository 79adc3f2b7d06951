/**
 * npm run seed -- [--scale small|bench|<factor>]
 *
 * Migrates the database of the environment (DATABASE_URL, or the embedded
 * PGlite folder) to the latest schema and seeds it at the given scale.
 */
import { parseArgs } from 'node:util';
import { loadConfig, type DatabaseConfig } from '../../src/config.js';
import { connectDatabase } from '../../src/db/connect.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { SqlTracker } from '../../src/db/sql-tracker.js';
import { parseSeedScale, seed, type SeedProgress, type SeedResult } from '../../src/seed/seed.js';

const USAGE = 'Usage: npm run seed -- [--scale small|bench|<factor of bench, e.g. 0.1>]';
const BAR_WIDTH = 30;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { scale: { type: 'string', default: 'small' }, help: { type: 'boolean', short: 'h' } },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const scale = parseSeedScale(values.scale);
  const config = loadConfig(process.env);
  const handle = await connectDatabase(config.database, { tracker: new SqlTracker() });
  try {
    console.log(`Seeding ${describeDatabase(config.database)} at scale ${scale}`);
    await migrateToLatest(handle.db);
    const startedAt = performance.now();
    const progress = progressReporter(startedAt);
    const result = await seed(handle.db, { scale, onProgress: progress.update }).finally(progress.finish);
    printResult(result, performance.now() - startedAt);
  } finally {
    await handle.close();
  }
}

/** Where the data goes, without the credentials a URL may hold. */
function describeDatabase(database: DatabaseConfig): string {
  if (database.url === undefined) return `the embedded PGlite database in ${database.pgliteDataDir}`;
  const url = new URL(database.url);
  return `PostgreSQL at ${url.host}${url.pathname}`;
}

/** A bar redrawn in place on a terminal; one line per chunk in a log. */
function progressReporter(startedAt: number) {
  const interactive = process.stderr.isTTY;
  let barShown = false;
  return {
    update({ usersDone, usersTotal, usersCreated }: SeedProgress): void {
      const share = usersDone / usersTotal;
      const counts = `${usersDone.toLocaleString('en-US')}/${usersTotal.toLocaleString('en-US')} users (${usersCreated.toLocaleString('en-US')} new)`;
      const elapsed = formatSeconds(performance.now() - startedAt);
      if (interactive) {
        const filled = Math.round(share * BAR_WIDTH);
        // \r returns to the line start, \x1b[K clears what a longer previous line left.
        process.stderr.write(`\r[${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}] ${counts} ${elapsed}\x1b[K`);
        barShown = true;
      } else {
        process.stderr.write(`seed: ${Math.floor(share * 100)}% ${counts} after ${elapsed}\n`);
      }
    },
    /** Ends the bar's line, so that what follows (the counts or an error) starts on its own. */
    finish(): void {
      if (barShown) process.stderr.write('\n');
    },
  };
}

function printResult(result: SeedResult, durationMs: number): void {
  console.log(
    result.alreadySeeded
      ? 'Already seeded: every user of this scale exists, nothing was written.'
      : `Seeded ${result.usersCreated.toLocaleString('en-US')} new users in ${formatSeconds(durationMs)}.`,
  );
  for (const [table, count] of Object.entries(result.counts)) {
    console.log(`  ${table.padEnd(14)}${count.toLocaleString('en-US').padStart(12)}`);
  }
}

function formatSeconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

main().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  const isUsageError = error instanceof RangeError || (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS'));
  process.stderr.write(`seed failed: ${message}\n${isUsageError ? `${USAGE}\n` : ''}`);
  process.exitCode = 1;
});
