const MS_PER_DAY = 86_400_000;
/** 10000-01-01T00:00:00Z: from there on toISOString writes a six-digit year with a sign. */
const YEAR_10000 = 253_402_300_800_000;

const pad2 = (value: number) => (value < 10 ? `0${value}` : `${value}`);
const pad3 = (value: number) => (value < 10 ? `00${value}` : value < 100 ? `0${value}` : `${value}`);

/**
 * What `new Date(epochMs).toISOString()` answers (`2026-12-06T05:01:02.003Z`),
 * by arithmetic: V8's toISOString goes through its date cache and costs ~3x
 * this (measured ~1.1 µs against ~0.37 µs), and an inbox answers 420 instants.
 * The civil date comes from the day count by Howard Hinnant's days_from_civil
 * inverse (http://howardhinnant.github.io/date_algorithms.html#civil_from_days).
 * Years before 1970 or from 10000 on, and non-finite values, go to toISOString
 * itself, so the answer is always the same string.
 */
export function formatIsoInstant(epochMs: number): string {
  if (!(epochMs >= 0 && epochMs < YEAR_10000) || !Number.isInteger(epochMs)) return new Date(epochMs).toISOString();
  const days = Math.floor(epochMs / MS_PER_DAY);
  let rest = epochMs - days * MS_PER_DAY;
  // Days counted from 0000-03-01, in 400-year eras of 146,097 days.
  const shifted = days + 719_468;
  const era = Math.floor(shifted / 146_097);
  const dayOfEra = shifted - era * 146_097;
  const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1_460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365);
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const marchMonth = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * marchMonth + 2) / 5) + 1;
  const month = marchMonth < 10 ? marchMonth + 3 : marchMonth - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  const hours = Math.floor(rest / 3_600_000);
  rest -= hours * 3_600_000;
  const minutes = Math.floor(rest / 60_000);
  rest -= minutes * 60_000;
  const seconds = Math.floor(rest / 1_000);
  return `${year}-${pad2(month)}-${pad2(day)}T${pad2(hours)}:${pad2(minutes)}:${pad2(seconds)}.${pad3(rest - seconds * 1_000)}Z`;
}
