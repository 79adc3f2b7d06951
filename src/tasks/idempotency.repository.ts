/**
 * The SQL of idempotency_keys. A key answers its first call for `ttlSeconds`
 * from its created_at; after that it is expired: a retry claims it anew, and
 * the sweep deletes it.
 */
import { sql } from 'kysely';
import type { Db } from '../db/database.js';


/** Keys swept by each new key: more than the one it adds, so expired keys cannot pile up. */
export const SWEEP_BATCH = 100;

const expiredBefore = (ttlSeconds: number) => sql<Date>`now() - make_interval(secs => ${ttlSeconds}::float8)`;

export interface NewIdempotencyKey {
  readonly userId: string;
  readonly key: string;
  readonly requestHash: string;
  readonly taskIds: readonly string[];
}

/**
 * Claims the key for a first call: inserts it, or takes over an expired row of
 * the same key (a new window from now). False: a live key holds it. A
 * concurrent claim of the same key waits on the row's lock and then sees it.
 */
export async function claimIdempotencyKey(db: Db, claim: NewIdempotencyKey, ttlSeconds: number): Promise<boolean> {
  const row = await db
    .insertInto('idempotency_keys')
    .values({ userId: claim.userId, key: claim.key, requestHash: claim.requestHash, taskIds: [...claim.taskIds] })
    .onConflict((oc) =>
      oc
        .columns(['userId', 'key'])
        .doUpdateSet((eb) => ({ requestHash: eb.ref('excluded.requestHash'), taskIds: eb.ref('excluded.taskIds'), createdAt: sql`now()` }))
        .where('idempotency_keys.createdAt', '<=', expiredBefore(ttlSeconds)),
    )
    .returning('key')
    .executeTakeFirst();
  return row !== undefined;
}

/** The first call's request hash and task ids under a live key (the claim just found it live, under its lock). */
export function findIdempotencyKey(db: Db, userId: string, key: string) {
  return db
    .selectFrom('idempotency_keys')
    .select(['requestHash', 'taskIds'])
    .where('userId', '=', userId)
    .where('key', '=', key)
    .executeTakeFirstOrThrow();
}

/**
 * Deletes up to `limit` expired keys of any user, oldest first: a range scan of
 * idx_idempotency_keys_created that stops at the first live key, so it reads
 * nothing when nothing has expired. SKIP LOCKED: keys another transaction is
 * sweeping (or taking over) are left to it. Answers how many were deleted.
 */
export async function sweepExpiredIdempotencyKeys(db: Db, ttlSeconds: number, limit = SWEEP_BATCH): Promise<number> {
  const result = await sql`
    delete from idempotency_keys
    where (user_id, key) in (
      select user_id, key from idempotency_keys
      where created_at <= ${expiredBefore(ttlSeconds)}
      order by created_at
      limit ${limit}
      for update skip locked
    )`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}
