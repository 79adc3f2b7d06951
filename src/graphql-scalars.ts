// The scalars every type shares, under one name each.
import { GraphQLScalarType } from 'graphql';
import { DateTimeISOResolver, JSONObjectResolver } from 'graphql-scalars';
import { formatIsoInstant } from './iso-instant.js';

const dateTimeConfig = DateTimeISOResolver.toConfig();

/**
 * graphql-scalars' DateTimeISO, with the common case made cheap: a valid Date
 * (every timestamp the database hands back) is written by formatIsoInstant
 * rather than toISOString. Anything else, and every input, is the library's.
 */
export const DateTime = new GraphQLScalarType<Date, string>({
  ...dateTimeConfig,
  serialize(value) {
    if (value instanceof Date) {
      const epochMs = value.getTime();
      if (epochMs === epochMs) return formatIsoInstant(epochMs);
    }
    return dateTimeConfig.serialize(value) as string;
  },
});

export { JSONObjectResolver as JSONObject };
