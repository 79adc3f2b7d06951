import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../db/database.js';
import type { UserRange } from './scale.js';
import { FIRST_NAMES, LAST_NAMES, LOCALES, STYLES, VOICES, pick } from './words.js';

/**
 * Inserts the users of one chunk that do not exist yet and records them, with
 * their ordinal (the number in user0042@arya.dev, 0 for named users), in the
 * transaction's temporary table `seed_users`. Everything else of the chunk is
 * made for the rows of that table only, so a user already present keeps what
 * it has and gets nothing twice. Returns how many users were new.
 */
export async function insertChunkUsers(trx: Db, range: UserRange): Promise<number> {
  await sql`create temporary table seed_users (
              id uuid primary key,
              ordinal integer not null,
              created_at timestamptz(3) not null
            ) on commit drop`.execute(trx);

  const n = sql`source.ordinal`;
  const result = await sql`
    with source (ordinal, email, display_name) as (${userSource(range)}),
    inserted as (
      insert into users (email, display_name, config, created_at)
      select email, display_name,
             jsonb_build_object(
               'locale', ${pick(LOCALES, n)},
               'defaultStyle', ${pick(STYLES, sql`${n} * 3`)},
               'defaultVoice', ${pick(VOICES, sql`${n} * 7`)},
               'notifications', jsonb_build_object('email', ${n} % 2 = 0, 'push', true)),
             -- accounts predate the year of tasks that follows
             now() - make_interval(days => 366 + ${n} % 90)
      from source
      on conflict (email) do nothing
      returning id, email, created_at
    )
    insert into seed_users (id, ordinal, created_at)
    select inserted.id, source.ordinal, inserted.created_at
    from inserted join source using (email)`.execute(trx);
  return Number(result.numAffectedRows ?? 0n);
}

/** (ordinal, email, display_name) rows of a range, as SQL. */
function userSource(range: UserRange): RawBuilder<unknown> {
  if (range.kind === 'named') return sql`values (0, ${range.email}, ${range.displayName})`;
  // lpad() would cut user10000 to four digits; widen instead.
  const digits = sql`lpad(n::text, greatest(4, length(n::text)), '0')`;
  return sql`
    select n, 'user' || ${digits} || '@arya.dev', ${pick(FIRST_NAMES, sql`n`)} || ' ' || ${pick(LAST_NAMES, sql`n / 16 + n * 7`)}
    from generate_series(${range.first}::integer, ${range.last}::integer) as n`;
}
