import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { isoOfTimestampText, isTimestampText, parseTimestamptz, type TimestampText } from '../../src/db/timestamps.js';

const pgParser = pg.types.getTypeParser(pg.types.builtins.TIMESTAMPTZ, 'text') as (text: string) => Date | number;

/** The same instant, or both not a number (pg's parser answers Infinity for infinity). */
function same(text: string): void {
  const ours = parseTimestamptz(text);
  const theirs = pgParser(text);
  expect(ours instanceof Date ? ours.getTime() : ours, text).toEqual(theirs instanceof Date ? theirs.getTime() : theirs);
}

describe('parseTimestamptz', () => {
  it('reads what PostgreSQL writes (DateStyle ISO) as pg itself does', () => {
    for (const text of [
      '2026-12-02 09:59:18.439+00',
      '2026-12-02 09:59:18+00',
      '2026-12-02 09:59:18.4+00',
      '2026-12-02 09:59:18.43+00',
      '2026-12-02 09:59:18.123456+00',
      '2026-12-02 09:59:18.999999+00',
      '2026-12-02 23:59:59.999+05:30',
      '2026-01-01 00:00:00-03:30',
      '2026-01-01 00:00:00.001-08',
      '1970-01-01 00:00:00+00',
      '1969-12-31 23:59:59.5+00',
      '2000-02-29 12:00:00+14',
    ]) same(text);
  });

  it('leaves every other form to pg: infinity, BC, years past 9999 or before 100, seconds in the offset', () => {
    for (const text of ['infinity', '-infinity', '0044-03-15 12:00:00+00 BC', '12026-12-02 09:59:18+00', '0099-12-02 09:59:18+00', '1900-01-01 00:00:00+00:19:32']) same(text);
  });

  it('agrees with pg on 10,000 instants across four centuries and every quarter-hour offset', () => {
    let seed = 42;
    const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    const pad = (value: number, width = 2) => String(value).padStart(width, '0');
    for (let i = 0; i < 10_000; i++) {
      const instant = new Date(Date.UTC(1800, 0, 1) + Math.floor(random() * 400 * 365.25 * 86_400_000));
      const offsetQuarters = Math.floor(random() * 105) - 48; // -12:00 .. +14:00
      const local = new Date(instant.getTime() + offsetQuarters * 15 * 60_000);
      const sign = offsetQuarters < 0 ? '-' : '+';
      const minutes = Math.abs(offsetQuarters) * 15;
      const offset = `${sign}${pad(Math.floor(minutes / 60))}${minutes % 60 ? `:${pad(minutes % 60)}` : ''}`;
      const fraction = random() < 0.5 ? '' : `.${pad(local.getUTCMilliseconds(), 3)}`.replace(/0+$/, '').replace(/\.$/, '');
      const text = `${pad(local.getUTCFullYear(), 4)}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())} ${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())}${fraction}${offset}`;
      same(text);
    }
  });
});

describe('isoOfTimestampText', () => {
  const iso = (text: string) => isoOfTimestampText(text as TimestampText);

  it('answers what toISOString answers for the same instant, whatever the fraction and offset', () => {
    for (const text of [
      '2026-12-02 09:59:18.439+00',
      '2026-12-02 09:59:18+00',
      '2026-12-02 09:59:18.4+00',
      '2026-12-02 09:59:18.43+00',
      '2026-12-02 09:59:18.123456+00',
      '2026-12-02 23:59:59.999+05:30',
      '2026-01-01 00:00:00.001-08',
      '1969-12-31 23:59:59.5+00',
      '0999-01-01 00:00:00+00',
    ]) expect(iso(text), text).toBe((pgParser(text) as Date).toISOString());
    expect(iso('2026-12-02 09:59:18.43+00')).toBe('2026-12-02T09:59:18.430Z');
  });

  it('fails as toISOString does for an instant ISO cannot write', () => {
    expect(() => iso('infinity')).toThrow(RangeError);
  });

  it('tells PostgreSQL text from ISO text', () => {
    expect(isTimestampText('2026-12-02 09:59:18.43+00')).toBe(true);
    expect(isTimestampText('2026-12-02T09:59:18.430Z')).toBe(false);
  });
});
