// The scalars every type shares, re-exported under one name each.
export { DateTimeISOResolver as DateTime, JSONObjectResolver as JSONObject } from 'graphql-scalars';
