import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PostgresDialect } from 'kysely';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { createKysely } from '../../src/db/connect.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { PGliteDialect } from '../../src/db/pglite-dialect.js';
import { SqlTracker } from '../../src/db/sql-tracker.js';
import { backendKind, databaseUrl } from './backend.js';

/** Migrates once per run; every test file then clones the result (see backend.ts). */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const teardown = backendKind() === 'postgres' ? await setupPostgres(project) : await setupPGlite(project);
  return async () => {
    await teardown();
    // Said again at the end, where a reader of the summary looks (vitest.config.ts said it first).
    const leftOut = process.env.ARYA_TESTS_LEFT_OUT;
    if (leftOut) console.warn(`\n${leftOut}\n`);
  };
}

async function setupPostgres(project: TestProject) {
  const adminUrl = process.env.DATABASE_URL!;
  const template = `arya_test_template_${randomBytes(4).toString('hex')}`;
  await adminQuery(adminUrl, `create database ${template}`);
  const db = createKysely(
    new PostgresDialect({ pool: new pg.Pool({ connectionString: databaseUrl(adminUrl, template), max: 1 }) }),
    new SqlTracker(),
  );
  await migrateToLatest(db);
  await db.destroy();
  project.provide('templateDatabase', template);
  return () => adminQuery(adminUrl, `drop database if exists ${template} with (force)`);
}

async function setupPGlite(project: TestProject) {
  const pglite = await PGlite.create();
  const db = createKysely(new PGliteDialect(pglite), new SqlTracker());
  await migrateToLatest(db);
  const snapshot = await pglite.dumpDataDir('none');
  await db.destroy();
  const folder = await mkdtemp(path.join(tmpdir(), 'arya-test-'));
  const file = path.join(folder, 'migrated.tar');
  await writeFile(file, Buffer.from(await snapshot.arrayBuffer()));
  project.provide('pgliteSnapshot', file);
  return () => rm(folder, { recursive: true, force: true });
}

export async function adminQuery(url: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}
