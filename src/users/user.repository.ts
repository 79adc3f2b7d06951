import { anyOf } from '../db/any-of.js';
import type { Db } from '../db/database.js';
import type { UserRow } from './user.table.js';

export function findUsersByIds(db: Db, ids: readonly string[]): Promise<UserRow[]> {
  return db.selectFrom('users').selectAll().where('id', '=', anyOf(ids)).execute();
}

export async function userExists(db: Db, id: string): Promise<boolean> {
  const row = await db.selectFrom('users').select('id').where('id', '=', id).executeTakeFirst();
  return row !== undefined;
}

export function findUserByEmail(db: Db, email: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst();
}

export interface NewUser {
  readonly email: string;
  readonly displayName: string;
  readonly config?: Record<string, unknown>;
}

export function insertUser(db: Db, user: NewUser): Promise<UserRow> {
  return db
    .insertInto('users')
    .values({ email: user.email, displayName: user.displayName, config: JSON.stringify(user.config ?? {}) })
    .returningAll()
    .executeTakeFirstOrThrow();
}
