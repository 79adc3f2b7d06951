// The scalars every type shares, under one name each.
import { GraphQLScalarType } from 'graphql';
import { DateTimeISOResolver, JSONObjectResolver } from 'graphql-scalars';
import { isoOfTimestampText, isTimestampText } from './db/timestamps.js';
import { formatIsoInstant } from './iso-instant.js';

const dateTimeConfig = DateTimeISOResolver.toConfig();

/**
 * graphql-scalars' DateTimeISO, with the common cases made cheap: a valid Date
 * (a timestamp the database hands back) is written by formatIsoInstant rather
 * than toISOString, and a timestamptz read as text (src/db/timestamps.ts) is
 * rewritten as ISO without becoming a Date. Anything else, and every input,
 * is the library's.
 */
export const DateTime = new GraphQLScalarType<Date, string>({
  ...dateTimeConfig,
  serialize(value) {
    if (value instanceof Date) {
      const epochMs = value.getTime();
      if (epochMs === epochMs) return formatIsoInstant(epochMs);
    } else if (typeof value === 'string' && isTimestampText(value)) return isoOfTimestampText(value);
    return dateTimeConfig.serialize(value) as string;
  },
});

export { JSONObjectResolver as JSONObject };
