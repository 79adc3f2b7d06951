import { sql, type Kysely } from 'kysely';

/**
 * Idempotency keys expire after a window counted from their created_at. The
 * sweep deletes the oldest expired keys a bounded batch at a time, and this
 * index lets it find them without reading the live ones: a range scan from
 * the oldest that stops at the first key still inside the window.
 * Frozen once applied. Imports nothing from src/.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index idx_idempotency_keys_created on idempotency_keys (created_at)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index idx_idempotency_keys_created`.execute(db);
}
