import { describe, expect, it } from 'vitest';
import { DateTime } from '../../src/graphql-scalars.js';
import { formatIsoInstant } from '../../src/iso-instant.js';

describe('formatIsoInstant', () => {
  it('writes what toISOString writes, on 100,000 instants from 1970 to 9999', () => {
    let seed = 7;
    const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    for (let i = 0; i < 100_000; i++) {
      const epochMs = Math.floor(random() * 253_402_300_800_000);
      expect(formatIsoInstant(epochMs)).toBe(new Date(epochMs).toISOString());
    }
  });

  it('gets the edges right: the epoch, leap days, month and year ends, the last instant before 10000', () => {
    for (const text of [
      '1970-01-01T00:00:00.000Z',
      '1972-02-29T23:59:59.999Z',
      '2000-02-29T00:00:00.000Z',
      '2100-03-01T00:00:00.000Z',
      '2026-12-31T23:59:59.999Z',
      '2027-01-01T00:00:00.001Z',
      '9999-12-31T23:59:59.999Z',
    ]) expect(formatIsoInstant(Date.parse(text))).toBe(text);
  });

  it('leaves what it does not cover to toISOString: before 1970, from 10000 on, fractions of a millisecond', () => {
    for (const epochMs of [-1, -62_198_755_200_000, 253_402_300_800_000, 8.64e15, 1.5]) {
      expect(formatIsoInstant(epochMs)).toBe(new Date(epochMs).toISOString());
    }
  });
});

describe('the DateTime scalar', () => {
  it('serialises a Date as toISOString does, and strings and numbers as graphql-scalars does', () => {
    const instant = new Date('2026-12-06T05:01:02.003Z');
    expect(DateTime.serialize(instant)).toBe('2026-12-06T05:01:02.003Z');
    expect(DateTime.serialize('2026-12-06T05:01:02.003Z')).toBe('2026-12-06T05:01:02.003Z');
    expect(DateTime.serialize(0)).toBe('1970-01-01T00:00:00.000Z');
    expect(() => DateTime.serialize(new Date(Number.NaN))).toThrow(/invalid Date/);
    expect(DateTime.name).toBe('DateTimeISO');
  });
});
