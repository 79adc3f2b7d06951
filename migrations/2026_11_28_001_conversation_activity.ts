import { sql, type Kysely } from 'kysely';

/**
 * Conversations are listed by their latest activity (updated_at, moved by
 * every message) by default: the keyset (updated_at, id) needs its own index,
 * ending in id like the others, so that a page is a range scan with no sort.
 * idx_conversations_user_created_id stays: creation order is still offered.
 * Frozen once applied. Imports nothing from src/.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index idx_conversations_user_updated_id on conversations (user_id, updated_at desc, id desc)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index idx_conversations_user_updated_id`.execute(db);
}
