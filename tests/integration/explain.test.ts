import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadConfig, type Config } from '../../src/config.js';
import { connectDatabase, type DatabaseHandle } from '../../src/db/connect.js';
import { SqlTracker } from '../../src/db/sql-tracker.js';
import { explainOperation, type ExplainReport } from '../../tools/explain/explain.js';
import { seed } from '../../src/seed/seed.js';
import { backendKind, databaseUrl } from '../helpers/backend.js';
import { adminQuery } from '../helpers/global-setup.js';

/**
 * explainOperation replays what it captured through a tracker of its own, so
 * this file opens its own database (as startTestApi does: a clone of the
 * migrated template, or a PGlite restored from the migrated snapshot) with
 * that tracker.
 *
 * Data size matters here: on the `small` demo data (200 tasks) PostgreSQL
 * rightly prefers a sequential scan of a few pages to any index, and at 2 % of
 * the bench data it still reads the 320 resources of W3's media by scanning
 * all 32,000. A 5 % slice (6,000 tasks, 15,000 scripts, 40,000 storyboards,
 * 80,000 resources; user0001 has 100 tasks) is large enough that the planner
 * chooses the indexes the queries were written for, as on the bench data, and
 * seeds in seconds.
 */
const SCALE = 0.05;
const USER = 'user0001@arya.dev';
const W3 = new URL('../../tools/explain/examples/w3-task-tree.graphql', import.meta.url);

let config: Config;
let tracker: SqlTracker;
let database: DatabaseHandle;
let drop = async () => {};

beforeAll(async () => {
  const env: Record<string, string> = { NODE_ENV: 'test', LOG_LEVEL: 'silent' };
  let pgliteSnapshot: Blob | undefined;
  if (backendKind() === 'postgres') {
    const adminUrl = process.env.DATABASE_URL!;
    const name = `arya_test_${randomBytes(6).toString('hex')}`;
    await adminQuery(adminUrl, `create database ${name} template ${inject('templateDatabase')}`);
    env.DATABASE_URL = databaseUrl(adminUrl, name);
    drop = () => adminQuery(adminUrl, `drop database if exists ${name} with (force)`);
  } else {
    pgliteSnapshot = new Blob([await readFile(inject('pgliteSnapshot'))]);
  }
  config = loadConfig(env);
  tracker = new SqlTracker();
  database = await connectDatabase(config.database, { tracker, pgliteSnapshot });
  await seed(database.db, { scale: SCALE });
});

afterAll(async () => {
  await database?.close();
  await drop();
});

const explain = async (query: string, variables?: Record<string, unknown>) =>
  explainOperation({ config, database, tracker }, { query, variables, asEmail: USER });

function statementOn(report: ExplainReport, pattern: RegExp) {
  const statement = report.statements.find((s) => pattern.test(s.sql));
  expect(statement, `a statement matching ${pattern}`).toBeDefined();
  return statement!;
}

describe('npm run explain, on the W3 task tree', () => {
  let report: ExplainReport;
  beforeAll(async () => {
    report = await explain(await readFile(W3, 'utf8'));
  });

  it('runs the operation as the user, without errors', () => {
    expect(report.operation.errors).toEqual([]);
    expect((report.operation.data as { tasks: { nodes: unknown[] } }).tasks.nodes).toHaveLength(20);
  });

  it('explains every statement the operation sent', () => {
    // The viewer check, the task page, latest scripts, scripts, storyboards with their media.
    expect(report.statements.length).toBeGreaterThanOrEqual(5);
    for (const statement of report.statements) {
      expect(statement.error).toBeUndefined();
      expect(statement.summary!.executionMs).toBeGreaterThan(0);
    }
    expect(report.totals.statements).toBe(report.statements.length);
  });

  it('reads the task page through the (user_id, created_at, id) index', () => {
    const page = statementOn(report, /from "tasks" where "user_id" = \$1 order by/);
    expect(page.summary!.indexes).toEqual(['idx_tasks_user_created_id']);
    // The W3 tree asks no pageInfo: the page reads its 20 rows, not a 21st (src/pagination.ts rowsToRead).
    expect(page.summary!.rows).toBe(20);
  });

  it('reads scripts and storyboards through their task indexes', () => {
    // The latest script is the highest version: the unique (task_id, version) index, read backwards.
    expect(statementOn(report, /cross join lateral[\s\S]*from scripts/).summary!.indexes).toContain('scripts_task_version_unique');
    // The storyboard pages join each storyboard's image and video by primary key.
    const storyboards = statementOn(report, /from "?storyboards"?/).summary!;
    expect(storyboards.indexes).toContain('idx_storyboards_task_sequence_created');
    expect(storyboards.indexes).toContain('resources_pkey');
    expect(storyboards.seqScans).toEqual([]);
  });

  it('finds no sequential scan on a large table', () => {
    expect(report.totals.offenders).toEqual([]);
  });
});

describe('npm run explain, on a mutation', () => {
  it('rolls back what the EXPLAIN ANALYZE replay wrote: the mutation ran once, its replay left nothing', async () => {
    const title = `explain ${randomBytes(4).toString('hex')}`;
    const report = await explain('mutation Create($title: String!) { createConversation(input: { title: $title }) { id } }', { title });
    expect(report.operationType).toBe('mutation');
    expect(report.operation.errors).toEqual([]);
    // The replay really inserted a row (ANALYZE executes)...
    expect(statementOn(report, /insert into conversations/).summary!.rows).toBe(1);
    // ...and only the operation's own row is there.
    const rows = await database.db.selectFrom('conversations').select('id').where('title', '=', title).execute();
    expect(rows).toHaveLength(1);
  });
});
