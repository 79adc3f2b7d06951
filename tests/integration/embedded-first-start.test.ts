import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import type { DatabaseHandle } from '../../src/db/connect.js';
import { openDatabase } from '../../src/db/open.js';
import { SqlTracker } from '../../src/db/sql-tracker.js';
import { TaskStatus } from '../../src/tasks/task.table.js';
import { updateTaskStatuses } from '../../src/tasks/task.repository.js';

/**
 * `npm start` on a fresh machine: the embedded database is created, migrated
 * and seeded by the very process that then serves it. The migrations create
 * enum types after PGlite opened, which it must learn before a statement binds
 * an array of them (a status update does).
 */
describe('the embedded database on its first start', () => {
  let dataDir: string;
  let database: DatabaseHandle;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'arya-first-start-'));
    const config = loadConfig({ NODE_ENV: 'test', PGLITE_DATA_DIR: dataDir });
    database = await openDatabase(config, new SqlTracker(), pino({ level: 'silent' }));
  }, 120_000);

  afterAll(async () => {
    await database?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('updates task statuses in the process that created it: arrays of the new enum bind as arrays', async () => {
    const pending = await database.db
      .selectFrom('tasks')
      .select(['id', 'userId'])
      .where('status', '=', TaskStatus.PENDING)
      .limit(2)
      .execute();
    expect(pending).toHaveLength(2);
    const [first, second] = pending as [(typeof pending)[0], (typeof pending)[0]];
    const cancelled = await updateTaskStatuses(database.db, first.userId, [{ id: first.id, status: TaskStatus.CANCELLED, progress: null, error: null }]);
    expect(cancelled.map((row) => [row.id, row.status])).toEqual([[first.id, TaskStatus.CANCELLED]]);
    const running = await updateTaskStatuses(database.db, second.userId, [{ id: second.id, status: TaskStatus.RUNNING, progress: 0.25, error: null }]);
    expect(running.map((row) => [row.id, row.status, row.progress])).toEqual([[second.id, TaskStatus.RUNNING, 0.25]]);
  });
});
