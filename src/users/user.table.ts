import type { Generated, Selectable } from 'kysely';
import type { CreatedAt, Json } from '../db/columns.js';

export interface UsersTable {
  id: Generated<string>;
  email: string;
  displayName: string;
  config: Json;
  createdAt: CreatedAt;
}

export type UserRow = Selectable<UsersTable>;
