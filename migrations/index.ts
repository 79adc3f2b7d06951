import type { Migration } from 'kysely';
import * as initialSchema from './2026_11_27_001_initial_schema.js';
import * as conversationActivity from './2026_11_28_001_conversation_activity.js';
import * as idempotencyExpiry from './2026_11_28_002_idempotency_expiry.js';

/**
 * Every migration, by name, in the order they apply. A new migration file is
 * added here too: a static list loads the same under tsx, vitest and the
 * compiled build, where a folder scan with import() of .ts files does not.
 */
export const migrations: Record<string, Migration> = {
  '2026_11_27_001_initial_schema': initialSchema,
  '2026_11_28_001_conversation_activity': conversationActivity,
  '2026_11_28_002_idempotency_expiry': idempotencyExpiry,
};
