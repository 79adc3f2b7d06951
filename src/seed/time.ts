import { sql, type RawBuilder } from 'kysely';

/** A year, in seconds: how far back the seeded history goes. */
const YEAR_SECONDS = 365 * 24 * 3600;
/**
 * The year times the golden ratio's fraction (0.618...), nudged to be coprime
 * to YEAR_SECONDS: i * SCATTER_STEP mod YEAR_SECONDS visits distinct seconds
 * for distinct i and, like any golden-ratio sequence, fills the year evenly
 * whether there are 40 items or 20,000.
 */
const SCATTER_STEP = 19_490_321;
/** Shifts each owner's pattern so that owners differ; any number would do. */
const OWNER_SHIFT_SECONDS = 104_729;

/**
 * The instant of item i of owner o (both integer SQL expressions), somewhere
 * in the year that ended a day ago: distinct for the items of one owner, and
 * what is made after an item (its scripts, messages) stays in the past.
 * bigint because i * SCATTER_STEP overflows integer.
 */
export function instantInPastYear(i: RawBuilder<unknown>, o: RawBuilder<unknown>): RawBuilder<Date> {
  const seconds = sql`(${i}::bigint * ${sql.lit(SCATTER_STEP)} + ${o}::bigint * ${sql.lit(OWNER_SHIFT_SECONDS)}) % ${sql.lit(YEAR_SECONDS)}`;
  return sql<Date>`now() - interval '1 day' - make_interval(secs => ${seconds})`;
}
