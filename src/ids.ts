import {
  type GraphQLArgument,
  type GraphQLFieldResolver,
  type GraphQLInputField,
  type GraphQLInputObjectType,
  type GraphQLInputType,
  type GraphQLSchema,
  defaultFieldResolver,
  getNamedType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
} from 'graphql';
import { badInput, batchItemError } from './errors.js';

/**
 * Ids are PostgreSQL uuids: any 128-bit value, whatever its version or variant.
 * This is the grammar of PostgreSQL's uuid_in (string_to_uuid): 32 hex digits
 * in either case, a hyphen allowed after any group of four (never two in a row,
 * never first or last), the whole optionally in braces; no blanks.
 */
const HEX_GROUPS = '[0-9a-f]{4}(?:-?[0-9a-f]{4}){7}';
const PG_UUID = new RegExp(`^(?:\\{${HEX_GROUPS}\\}|${HEX_GROUPS})$`, 'i');
const CANONICAL_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * The canonical text of an id, as PostgreSQL answers it (lower case,
 * 8-4-4-4-12), or undefined when PostgreSQL's uuid would refuse it.
 */
export function parseId(text: string): string | undefined {
  // What clients send almost always: the canonical form itself (a batch of 500 ids is 500 of these).
  if (CANONICAL_UUID.test(text)) return text;
  if (!PG_UUID.test(text)) return undefined;
  const hex = text.replace(/[{}-]/g, '').toLowerCase();
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Where a value sits in the arguments: `input.id`, and the batch item it belongs to. */
interface Place {
  readonly argument: string;
  readonly index?: number;
}

function idAt(value: string, place: Place): string {
  const id = parseId(value);
  if (id !== undefined) return id;
  const error = badInput(`${place.argument} must be a UUID`, { argument: place.argument });
  throw place.index === undefined ? error : batchItemError(place.index, error);
}

const holdsIdsMemo = new WeakMap<GraphQLInputObjectType, boolean>();

/** Whether a value of this input type can carry an ID anywhere inside it (input types may refer to themselves). */
function holdsIds(type: GraphQLInputType, visiting = new Set<GraphQLInputObjectType>()): boolean {
  const named = getNamedType(type);
  if (isScalarType(named)) return named.name === 'ID';
  if (!isInputObjectType(named) || visiting.has(named)) return false;
  const known = holdsIdsMemo.get(named);
  if (known !== undefined) return known;
  visiting.add(named);
  const holds = Object.values(named.getFields()).some((field) => holdsIds(field.type, visiting));
  visiting.delete(named);
  holdsIdsMemo.set(named, holds);
  return holds;
}

const idFieldsMemo = new WeakMap<GraphQLInputObjectType, readonly GraphQLInputField[]>();

/** The fields of an input type that can carry an ID: the only ones normalise visits, once per batch item. */
function idFieldsOf(type: GraphQLInputObjectType): readonly GraphQLInputField[] {
  let fields = idFieldsMemo.get(type);
  if (!fields) idFieldsMemo.set(type, (fields = Object.values(type.getFields()).filter((field) => holdsIds(field.type))));
  return fields;
}

/** The value with every ID in it canonical; a copy wherever something changed, the input itself untouched. */
function normalise(type: GraphQLInputType, value: unknown, place: Place): unknown {
  if (value === null || value === undefined) return value;
  if (isNonNullType(type)) return normalise(type.ofType, value, place);
  // graphql-js has already coerced a list argument to an array (a single value to a list of one).
  if (isListType(type)) {
    return (value as unknown[]).map((item, index) => normalise(type.ofType, item, { ...place, index: place.index ?? index }));
  }
  if (isScalarType(type)) return type.name === 'ID' ? idAt(value as string, place) : value;
  if (!isInputObjectType(type) || !holdsIds(type)) return value;
  const copy: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  for (const field of idFieldsOf(type)) {
    if (field.name in copy) copy[field.name] = normalise(field.type, copy[field.name], { ...place, argument: `${place.argument}.${field.name}` });
  }
  return copy;
}

function argumentsNormaliser(args: readonly GraphQLArgument[]) {
  const withIds = args.filter((arg) => holdsIds(arg.type));
  if (withIds.length === 0) return undefined;
  return (values: Record<string, unknown>): Record<string, unknown> => {
    const normalised = { ...values };
    for (const arg of withIds) {
      if (arg.name in normalised) normalised[arg.name] = normalise(arg.type, normalised[arg.name], { argument: arg.name });
    }
    return normalised;
  };
}

/**
 * The one boundary for ids: every field that takes an ID, as an argument or
 * anywhere inside an input, gets its ids parsed and made canonical before its
 * resolver runs, so resolvers, validation, loaders, cache keys and SQL only
 * ever see the form PostgreSQL answers with. A malformed id is that field's
 * BAD_USER_INPUT naming the argument (`id`, `input.id`, `taskId`; batch items
 * add `index`). Derived from the schema, so an ID argument added later is
 * covered without a word; fields without ids keep their resolver untouched
 * (a wrapper on every field would cost the task tree's thousands of fields).
 * The schema keeps GraphQL's own ID type: clients and Sandbox see `ID!`.
 */
export function parseIdArguments(schema: GraphQLSchema): GraphQLSchema {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      const normaliseArgs = argumentsNormaliser(field.args);
      if (!normaliseArgs) continue;
      const wrap = (resolve: GraphQLFieldResolver<unknown, unknown>): GraphQLFieldResolver<unknown, unknown> =>
        (source, args, context, info) => resolve(source, normaliseArgs(args), context, info);
      field.resolve = wrap(field.resolve ?? defaultFieldResolver);
      if (field.subscribe) field.subscribe = wrap(field.subscribe);
    }
  }
  return schema;
}
