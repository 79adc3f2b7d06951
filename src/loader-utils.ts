import DataLoader from 'dataloader';
import { badInput } from './errors.js';

/**
 * Aligns rows to the keys DataLoader asked for: the row whose key matches, or
 * null. One pass over the rows, whatever the batch size.
 */
export function byKeys<K, R>(keys: readonly K[], rows: readonly R[], keyOf: (row: R) => K): (R | null)[] {
  const index = new Map<K, R>();
  for (const row of rows) index.set(keyOf(row), row);
  return keys.map((key) => index.get(key) ?? null);
}

/** Like byKeys for one-to-many relations: every key gets its rows, in the order they came. */
export function groupByKeys<K, R>(keys: readonly K[], rows: readonly R[], keyOf: (row: R) => K): R[][] {
  const groups = new Map<K, R[]>(keys.map((key) => [key, []]));
  for (const row of rows) groups.get(keyOf(row))?.push(row);
  return keys.map((key) => groups.get(key) ?? []);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return UUID.test(value);
}

export function assertUuid(value: string, argument = 'id'): string {
  if (!isUuid(value)) throw badInput(`${argument} must be a UUID`, { argument });
  return value;
}

/**
 * A by-id loader. Each key is answered on its own: an id that is not a UUID is
 * that key's BAD_USER_INPUT error, a missing or foreign row that key's null,
 * and the valid ids of the batch still cost one statement.
 */
export function createByIdLoader<R extends { id: string }>(fetch: (ids: string[]) => Promise<R[]>): DataLoader<string, R | null> {
  return new DataLoader<string, R | null>(async (ids) => {
    const valid = ids.filter(isUuid).map((id) => id.toLowerCase());
    const rows = valid.length > 0 ? await fetch(valid) : [];
    const found = byKeys(
      ids.map((id) => id.toLowerCase()),
      rows,
      (row) => row.id,
    );
    return ids.map((id, i) => (isUuid(id) ? found[i]! : badInput('id must be a UUID', { id })));
  });
}
