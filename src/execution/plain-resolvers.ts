import { isObjectType, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql';
import type { Context } from '../context.js';

/** Resolvers by type and field name, each a plain GraphQL resolver. */
export type PlainResolvers = Readonly<Record<string, Readonly<Record<string, GraphQLFieldResolver<never, Context>>>>>;

/**
 * Sets resolvers that go around type-graphql's wrapper, for a field declared
 * with @Field on its class and resolved once per row of a long list. The
 * wrapper looks up the resolver's instance, sorts and maps its parameters and
 * dispatches its middlewares on every call: for Message.content, 200 calls in
 * an inbox, it cost ~4 % of W4's server CPU, more than charging the text itself.
 */
export function applyPlainResolvers(schema: GraphQLSchema, resolvers: PlainResolvers): GraphQLSchema {
  for (const [typeName, fields] of Object.entries(resolvers)) {
    const type = schema.getType(typeName);
    if (!isObjectType(type)) throw new Error(`Plain resolvers for ${typeName}, which is not an object type of the schema`);
    for (const [fieldName, resolve] of Object.entries(fields)) {
      const field = type.getFields()[fieldName];
      // A @FieldResolver already there would be silently replaced: the field has one resolver, declared once.
      if (!field || field.resolve) throw new Error(`${typeName}.${fieldName} is not a plain @Field of the schema`);
      field.resolve = resolve as GraphQLFieldResolver<unknown, unknown>;
    }
  }
  return schema;
}
