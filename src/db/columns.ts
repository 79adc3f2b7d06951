import type { ColumnType } from 'kysely';

/** Column shapes shared by several tables. */
export type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
export type UpdatedAt = ColumnType<Date, Date | string | undefined, Date | string>;
/** jsonb: read as parsed JSON, written as a JSON string. */
export type Json = ColumnType<Record<string, unknown>, string | undefined, string>;
/**
 * bigint: pg returns int8 as a string, PGlite as a number; both go through
 * Number() where they are read (sizes fit well inside 2^53).
 */
export type BigIntColumn = ColumnType<string | number, number | bigint, number | bigint>;
