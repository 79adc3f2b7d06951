import pg from 'pg';
import { formatIsoInstant } from '../iso-instant.js';

/** pg's own parser (postgres-date): every form PostgreSQL may send, regular expressions and all. */
const parseAnyTimestamp = pg.types.getTypeParser(pg.types.builtins.TIMESTAMPTZ, 'text') as (text: string) => Date;

const ZERO = 48; // '0'

function digits(text: string, start: number, count: number): number {
  let value = 0;
  for (let i = start; i < start + count; i++) {
    const digit = text.charCodeAt(i) - ZERO;
    if (digit < 0 || digit > 9) return Number.NaN;
    value = value * 10 + digit;
  }
  return value;
}

/**
 * A timestamptz as PostgreSQL writes it with DateStyle ISO
 * (`2026-12-02 09:59:18.439+00`, `...+05:30`), read by position: pg's parser
 * runs two regular expressions per value, and a task tree reads ~500 of them
 * per request. Anything else (infinity, BC, a five-digit year, seconds in the
 * offset) goes to pg's parser, so the result is the same Date either way.
 */
export function parseTimestamptz(text: string): Date {
  const length = text.length;
  if (length < 22 || text[4] !== '-' || text[7] !== '-' || text[10] !== ' ' || text[13] !== ':' || text[16] !== ':') return parseAnyTimestamp(text);
  let position = 19;
  let milliseconds = 0;
  if (text[position] === '.') {
    // Fractional seconds: up to six digits; the Date keeps milliseconds, the rest is cut as pg's parser cuts it.
    let scale = 100;
    position++;
    while (position < length) {
      const digit = text.charCodeAt(position) - ZERO;
      if (digit < 0 || digit > 9) break;
      milliseconds += digit * scale;
      scale /= 10;
      position++;
    }
    milliseconds = Math.trunc(milliseconds);
  }
  const sign = text[position] === '+' ? 1 : text[position] === '-' ? -1 : 0;
  const rest = length - position;
  // The offset: +HH or +HH:MM, nothing after it.
  if (sign === 0 || (rest !== 3 && !(rest === 6 && text[position + 3] === ':'))) return parseAnyTimestamp(text);
  const offsetMinutes = sign * (digits(text, position + 1, 2) * 60 + (rest === 6 ? digits(text, position + 4, 2) : 0));
  const year = digits(text, 0, 4);
  // Date.UTC reads years 0-99 as 1900-1999.
  if (!(year >= 100)) return parseAnyTimestamp(text);
  const utc = Date.UTC(year, digits(text, 5, 2) - 1, digits(text, 8, 2), digits(text, 11, 2), digits(text, 14, 2), digits(text, 17, 2), milliseconds);
  if (Number.isNaN(utc) || Number.isNaN(offsetMinutes)) return parseAnyTimestamp(text);
  return new Date(utc - offsetMinutes * 60_000);
}

/** pg's type parsers with timestamptz read by parseTimestamptz: the `types` of every pool the API reads through. */
export const pgTypeParsers: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === pg.types.builtins.TIMESTAMPTZ && format !== 'binary' ? parseTimestamptz : pg.types.getTypeParser(oid, format)) as pg.CustomTypesConfig['getTypeParser'],
};

declare const timestampText: unique symbol;

/**
 * A timestamptz as PostgreSQL writes it (DateStyle ISO, `2026-12-02 09:59:18.43+00`),
 * selected `::text` so that pg never makes it a Date: a list that only
 * answers its instants moves them to the wire by isoOfTimestampText.
 */
export type TimestampText = string & { readonly [timestampText]: true };

/** Whether a string is written as PostgreSQL writes a timestamptz (a space, not ISO's `T`, after the date). */
export function isTimestampText(value: string): value is TimestampText {
  return value.length >= 22 && value[10] === ' ' && value[4] === '-';
}

/** The instant's epoch ms, for a cursor. */
export function epochMsOfTimestampText(text: TimestampText): number {
  return Number(parseTimestamptz(text));
}

const MILLISECOND_PADDING = ['000', '00', '0', ''];

/**
 * What toISOString answers for the instant (`2026-12-02T09:59:18.430Z`). A
 * UTC session writes `2026-12-02 09:59:18.43+00` (the fraction without its
 * trailing zeros, none when they are all zeros): its pieces are moved, not
 * parsed into a Date and formatted back (an inbox answers 200 of them). Any
 * other offset, more than three fractional digits or another form goes
 * through parseTimestamptz and formatIsoInstant, so the answer is the same.
 */
export function isoOfTimestampText(text: TimestampText): string {
  const length = text.length;
  // `... 09:59:18+00` is 22 characters; with `.4` to `.439`, 24 to 26.
  const fractionDigits = length === 22 ? 0 : length >= 24 ? length - 23 : -1;
  if (
    fractionDigits >= 0 &&
    fractionDigits <= 3 &&
    (fractionDigits === 0 || text[19] === '.') &&
    text[length - 3] === '+' &&
    text[length - 2] === '0' &&
    text[length - 1] === '0' &&
    text[13] === ':' &&
    text[16] === ':'
  ) {
    if (fractionDigits === 3) return `${text.slice(0, 10)}T${text.slice(11, 23)}Z`;
    const fraction = fractionDigits === 0 ? '.' : text.slice(19, 20 + fractionDigits);
    return `${text.slice(0, 10)}T${text.slice(11, 19)}${fraction}${MILLISECOND_PADDING[fractionDigits]}Z`;
  }
  // Number(): pg's parser answers a number, not a Date, for infinity (toISOString then throws, as for a Date).
  return formatIsoInstant(Number(parseTimestamptz(text)));
}
