import { buildSchema, graphqlSync } from 'graphql';
import { describe, expect, it } from 'vitest';
import { applyPlainResolvers } from '../../src/execution/plain-resolvers.js';

const schemaWith = () => {
  const schema = buildSchema('type Query { text: String, shout: String }');
  schema.getQueryType()!.getFields()['shout']!.resolve = () => 'already';
  return schema;
};

describe('applyPlainResolvers', () => {
  it('resolves the field with the plain resolver, given the source and the context', () => {
    const schema = applyPlainResolvers(schemaWith(), { Query: { text: (source: { text: string }, _args, ctx) => `${source.text} ${String(ctx)}` } });
    expect(graphqlSync({ schema, source: '{ text }', rootValue: { text: 'hi' }, contextValue: 'there' }).data).toEqual({ text: 'hi there' });
  });

  it('refuses a field that already has a resolver, or that the schema does not have', () => {
    expect(() => applyPlainResolvers(schemaWith(), { Query: { shout: () => 'twice' } })).toThrow(/Query.shout/);
    expect(() => applyPlainResolvers(schemaWith(), { Query: { missing: () => '' } })).toThrow(/Query.missing/);
    expect(() => applyPlainResolvers(schemaWith(), { Nope: { text: () => '' } })).toThrow(/Nope/);
  });
});
