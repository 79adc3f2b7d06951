import { randomBytes } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseConfig } from '../../src/config.js';
import { connectDatabase, createKysely } from '../../src/db/connect.js';
import type { Db } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { PGliteDialect } from '../../src/db/pglite-dialect.js';
import { SqlTracker } from '../../src/db/sql-tracker.js';
import { parseSeedScale, seed, type SeedResult } from '../../src/seed/seed.js';

interface ScratchDatabase {
  readonly db: Db;
  readonly drop: () => Promise<void>;
}

/**
 * A database of the test's own: a fresh one on the PostgreSQL server of
 * DATABASE_URL when it is set, an in-memory PGlite otherwise.
 */
async function openScratchDatabase(): Promise<ScratchDatabase> {
  const serverUrl = process.env.DATABASE_URL;
  if (serverUrl === undefined) {
    const db = createKysely(new PGliteDialect(await PGlite.create()), new SqlTracker());
    return { db, drop: () => db.destroy() };
  }
  const name = `arya_seed_test_${randomBytes(6).toString('hex')}`;
  await onServer(serverUrl, `create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const handle = await connectDatabase(scratchConfig(url.toString()), { tracker: new SqlTracker() });
  return {
    db: handle.db,
    drop: async () => {
      await handle.close();
      await onServer(serverUrl, `drop database if exists ${name} with (force)`);
    },
  };
}

function scratchConfig(url: string): DatabaseConfig {
  return { url, pgliteDataDir: '', poolSize: 2, connectionTimeoutMs: 10_000, statementTimeoutMs: 60_000, maxLifetimeSeconds: 3_600, ssl: false };
}

async function onServer(serverUrl: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

/** Storyboards whose first frame is not an image of their own task, or whose video is not a video of it. */
async function countMislinkedStoryboards(db: Db): Promise<number> {
  const { rows } = await sql<{ count: string | number }>`
    select count(*) as count
    from storyboards as s
    left join resources as image on image.id = s.first_frame_image_id
    left join resources as video on video.id = s.video_id
    where image.kind is distinct from 'image' or image.task_id is distinct from s.task_id
       or video.kind is distinct from 'video' or video.task_id is distinct from s.task_id`.execute(db);
  return Number(rows[0]?.count);
}

async function countBy(db: Db, table: 'tasks' | 'resources', column: 'status' | 'kind'): Promise<Record<string, number>> {
  const { rows } = await sql<{ key: string; count: string | number }>`
    select ${sql.ref(column)} as key, count(*) as count from ${sql.table(table)} group by 1`.execute(db);
  return Object.fromEntries(rows.map((row) => [row.key, Number(row.count)]));
}

describe('seed at a factor of the bench data (0.002: 2 users and the batch client)', () => {
  let scratch: ScratchDatabase;
  let first: SeedResult;

  beforeAll(async () => {
    scratch = await openScratchDatabase();
    await migrateToLatest(scratch.db);
    first = await seed(scratch.db, { scale: 0.002 });
  });
  afterAll(() => scratch?.drop());

  it('gives each user 100 tasks with 3 scripts and 8 storyboards each, and the batch client 40 bare tasks', () => {
    expect(first.usersCreated).toBe(3);
    expect(first.counts).toEqual({
      users: 3,
      tasks: 2 * 100 + 40,
      scripts: 2 * 100 * 3,
      storyboards: 2 * 100 * 8,
      resources: 2 * 100 * 8 * 2,
      conversations: 2 * 10,
      messages: 2 * 10 * 30,
    });
  });

  it('mixes task statuses 60/15/15/5/5 % with the progress and error each status implies', async () => {
    expect(await countBy(scratch.db, 'tasks', 'status')).toEqual({ completed: 144, running: 36, pending: 36, failed: 12, cancelled: 12 });
    const { rows } = await sql<{ count: string | number }>`
      select count(*) as count from tasks
      where (status = 'completed' and progress <> 1)
         or (status = 'pending' and progress <> 0)
         or (status = 'running' and not (progress > 0 and progress < 1))
         or (status = 'failed') <> (error is not null)`.execute(scratch.db);
    expect(Number(rows[0]?.count)).toBe(0);
  });

  it('spreads every user’s tasks over a year, with ~1 KB of options and ~2 KB scripts', async () => {
    const { rows } = await sql<{ spanDays: number; optionsBytes: number; scriptBytes: number }>`
      select (select min(extract(epoch from (max_at - min_at)) / 86400)::float8
                from (select max(created_at) as max_at, min(created_at) as min_at from tasks group by user_id) as spans) as span_days,
             (select avg(octet_length(options::text))::float8 from tasks) as options_bytes,
             (select avg(octet_length(content))::float8 from scripts) as script_bytes`.execute(scratch.db);
    const sizes = rows[0];
    expect(sizes?.spanDays).toBeGreaterThan(330);
    expect(sizes?.optionsBytes).toBeGreaterThan(800);
    expect(sizes?.optionsBytes).toBeLessThan(1_500);
    expect(sizes?.scriptBytes).toBeGreaterThan(1_800);
    expect(sizes?.scriptBytes).toBeLessThan(2_600);
  });

  it('points every storyboard at an image and a video of its own task', async () => {
    expect(await countMislinkedStoryboards(scratch.db)).toBe(0);
  });

  it('adds nothing when run a second time', async () => {
    const again = await seed(scratch.db, { scale: 0.002 });
    expect(again.alreadySeeded).toBe(true);
    expect(again.counts).toEqual(first.counts);
  });
});

describe('seed at the small scale (the demo data of the embedded mode)', () => {
  let scratch: ScratchDatabase;
  let first: SeedResult;

  beforeAll(async () => {
    scratch = await openScratchDatabase();
    await migrateToLatest(scratch.db);
    first = await seed(scratch.db, { scale: 'small' });
  });
  afterAll(() => scratch?.drop());

  it('makes the demo user and four more, each with 40 tasks and their scripts, storyboards and conversations', async () => {
    expect(first.counts).toEqual({
      users: 5,
      tasks: 5 * 40,
      scripts: 5 * 40 * 3,
      storyboards: 5 * 40 * 8,
      resources: 5 * 40 * (8 * 2 + 1),
      conversations: 5 * 5,
      messages: 5 * 5 * 12,
    });
    const demo = await scratch.db.selectFrom('users').select('displayName').where('email', '=', 'demo@arya.dev').executeTakeFirst();
    expect(demo?.displayName).toBe('Demo User');
  });

  it('shows every resource kind, and conversations both about a task and about none', async () => {
    expect(await countBy(scratch.db, 'resources', 'kind')).toEqual({ image: 1_600, video: 1_600, audio: 200 });
    const linked = await scratch.db
      .selectFrom('conversations')
      .select((eb) => [eb.fn.count('taskId').as('aboutTask'), eb.fn.countAll().as('all')])
      .executeTakeFirstOrThrow();
    // Conversations 1, 3 and 5 of each of the 5 users are about a task.
    expect(Number(linked.aboutTask)).toBe(15);
    expect(Number(linked.all)).toBe(25);
  });

  it('points every storyboard at an image and a video of its own task', async () => {
    expect(await countMislinkedStoryboards(scratch.db)).toBe(0);
  });

  it('adds nothing when run a second time', async () => {
    const again = await seed(scratch.db, { scale: 'small' });
    expect(again.alreadySeeded).toBe(true);
    expect(again.counts).toEqual(first.counts);
  });
});

describe('the seed scale', () => {
  it('is small, bench or a positive factor of the bench data, and anything else is refused', () => {
    expect(parseSeedScale('small')).toBe('small');
    expect(parseSeedScale('bench')).toBe('bench');
    expect(parseSeedScale('0.1')).toBe(0.1);
    for (const text of ['0', '-1', 'huge', '1e3', '11', '']) {
      expect(() => parseSeedScale(text), text).toThrow(RangeError);
    }
  });
});
