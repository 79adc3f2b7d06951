import { sql } from 'kysely';
import type { Db } from '../db/database.js';
import { insertChunkConversations } from './conversations.js';
import { countRows, SEEDED_TABLES, type RowCounts } from './counts.js';
import { chunkPlan, countPlannedUsers, planSeed, rangeSize, type SeedScale, type UserGroup } from './scale.js';
import { insertChunkNarrations, insertChunkStoryboards } from './storyboards.js';
import { insertChunkScripts, insertChunkTasks } from './tasks.js';
import { insertChunkUsers } from './users.js';

export { parseSeedScale, type SeedScale } from './scale.js';

export interface SeedProgress {
  /** Users of the scale handled so far, whether new or already present. */
  readonly usersDone: number;
  readonly usersTotal: number;
  readonly usersCreated: number;
}

export interface SeedOptions {
  readonly scale: SeedScale;
  /** Called after each committed chunk of users. */
  readonly onProgress?: (progress: SeedProgress) => void;
}

export interface SeedResult {
  readonly usersCreated: number;
  /** Every user of the scale was there already: nothing was written. */
  readonly alreadySeeded: boolean;
  /** Rows per table after seeding, the scale's and any others. */
  readonly counts: RowCounts;
}

/**
 * Fills the database with the data of a scale, in set-based statements
 * (INSERT ... SELECT over generate_series) that make a chunk of users at a
 * time, each chunk in its own transaction. Users are identified by email: a
 * user already present is skipped with everything of theirs, so running a
 * seed twice adds nothing, and a seed interrupted halfway resumes where it stopped.
 */
export async function seed(db: Db, options: SeedOptions): Promise<SeedResult> {
  const plan = planSeed(options.scale);
  const usersTotal = countPlannedUsers(plan);
  let usersDone = 0;
  let usersCreated = 0;
  for (const chunk of chunkPlan(plan)) {
    usersCreated += await seedChunk(db, chunk);
    usersDone += rangeSize(chunk.users);
    options.onProgress?.({ usersDone, usersTotal, usersCreated });
  }
  // Fresh tables have no statistics until autovacuum comes by; a benchmark
  // started right away would measure plans made without them.
  // VACUUM too: it sets the visibility map, without which no index-only scan
  // (an offset page's deferred join, say) avoids the heap on fresh data.
  if (usersCreated > 0) await sql`vacuum analyze ${sql.join(SEEDED_TABLES.map((table) => sql.id(table)))}`.execute(db);
  return { usersCreated, alreadySeeded: usersCreated === 0, counts: await countRows(db) };
}

/** One chunk's users and all their data, in one transaction; returns how many users were new. */
function seedChunk(db: Db, { users, shape }: UserGroup): Promise<number> {
  return db.transaction().execute(async (trx) => {
    // The pool's statement timeout is sized for requests; a chunk's insert of
    // tens of thousands of rows may take longer, legitimately.
    await sql`set local statement_timeout = 0`.execute(trx);
    const created = await insertChunkUsers(trx, users);
    if (created === 0) return 0;
    await insertChunkTasks(trx, shape.tasks);
    if (shape.scriptsPerTask > 0) await insertChunkScripts(trx, shape.scriptsPerTask);
    if (shape.storyboardsPerTask > 0) await insertChunkStoryboards(trx, shape.storyboardsPerTask);
    if (shape.narration) await insertChunkNarrations(trx);
    if (shape.conversations > 0) await insertChunkConversations(trx, shape);
    return created;
  });
}
