import { buildSchema, graphql, type GraphQLObjectType } from 'graphql';
import { describe, expect, it } from 'vitest';
import { parseId, parseIdArguments } from '../../src/ids.js';

const CANONICAL = 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11';

describe('parseId', () => {
  it.each([
    ['the canonical form', CANONICAL],
    ['upper case', CANONICAL.toUpperCase()],
    ['mixed case', 'A0eEbC99-9c0B-4Ef8-bB6d-6bB9Bd380A11'],
    ['braces', `{${CANONICAL}}`],
    ['no hyphens', 'a0eebc999c0b4ef8bb6d6bb9bd380a11'],
    ['no hyphens, in braces, upper case', '{A0EEBC999C0B4EF8BB6D6BB9BD380A11}'],
    ['a hyphen after every group of four', 'a0ee-bc99-9c0b-4ef8-bb6d-6bb9-bd38-0a11'],
    ['hyphens after groups of eight', 'a0eebc99-9c0b4ef8-bb6d6bb9-bd380a11'],
  ])('reads %s as PostgreSQL does, answering the canonical lower-case form', (_name, text) => {
    expect(parseId(text)).toBe(CANONICAL);
  });

  it.each([
    '00000000-0000-0000-0000-000000000000',
    'ffffffff-ffff-ffff-ffff-ffffffffffff',
    'c232ab00-9414-11ec-b3c8-9f68deed7a5e', // version 1
    '01890a5d-ac96-774b-bcce-b302099a8057', // version 7
    '00000000-0000-0000-c000-000000000046', // Microsoft's variant
  ])('accepts %s: any 128-bit value, whatever its version or variant', (id) => {
    expect(parseId(id)).toBe(id);
  });

  it.each([
    ['empty', ''],
    ['a number', '42'],
    ['a word', 'not-a-uuid'],
    ['a blank before', ` ${CANONICAL}`],
    ['a blank after', `${CANONICAL} `],
    ['an opening brace only', `{${CANONICAL}`],
    ['a closing brace only', `${CANONICAL}}`],
    ['two hyphens in a row', 'a0eebc99--9c0b-4ef8-bb6d-6bb9bd380a11'],
    ['a hyphen inside a group of four', 'a0eebc9-99c0b-4ef8-bb6d-6bb9bd380a11'],
    ['a hyphen first', `-${CANONICAL}`],
    ['a hyphen last', `${CANONICAL}-`],
    ['a hyphen inside the braces first', `{-${CANONICAL}}`],
    ['31 digits', CANONICAL.slice(0, -1)],
    ['33 digits', `${CANONICAL}1`],
    ['a letter past f', CANONICAL.replace('a', 'g')],
    ['a NUL character', `${CANONICAL}\u0000`],
    ['a full-width digit', CANONICAL.replace('0', '\uff10')],
  ])('refuses %s, as PostgreSQL does', (_name, text) => {
    expect(parseId(text)).toBeUndefined();
  });
});

/** A schema of every place an ID can sit, each field answering the arguments it was given. */
function echoSchema() {
  const schema = buildSchema(`
    input Item { id: ID!, note: String }
    input Nested { item: Item, ids: [ID!], self: Nested }
    type Query {
      one(id: ID!): String
      maybe(id: ID): String
      input(input: Item!): String
      batch(inputs: [Item!]!): String
      nested(input: Nested!): String
      noIds(name: String!): String
    }
  `);
  const query = schema.getQueryType() as GraphQLObjectType;
  const resolvers = Object.values(query.getFields()).map((field) => {
    const resolve = (_root: unknown, args: unknown) => JSON.stringify(args);
    field.resolve = resolve;
    return [field.name, resolve] as const;
  });
  return { schema: parseIdArguments(schema), query, resolvers: new Map(resolvers) };
}

const UPPER = CANONICAL.toUpperCase();

describe('parseIdArguments', () => {
  const { schema, query, resolvers } = echoSchema();
  const run = async (source: string, variableValues?: Record<string, unknown>) => {
    const result = await graphql({ schema, source, variableValues });
    return { data: result.data, errors: result.errors?.map((error) => ({ path: error.path, extensions: error.extensions })) };
  };

  it('hands every resolver canonical ids: arguments, input fields, batch items, nested lists and self-references', async () => {
    const result = await run(
      `query($id: ID!, $inputs: [Item!]!) {
        one(id: $id)
        maybe(id: null)
        input(input: { id: "{${UPPER}}", note: "${UPPER}" })
        batch(inputs: $inputs)
        nested(input: { item: { id: "${UPPER}" }, ids: ["${UPPER}"], self: { ids: ["${UPPER}"] } })
      }`,
      { id: UPPER, inputs: [{ id: UPPER }, { id: CANONICAL.replaceAll('-', '') }] },
    );

    expect(result.errors).toBeUndefined();
    const args = Object.fromEntries(Object.entries(result.data!).map(([name, json]) => [name, JSON.parse(json as string)]));
    expect(args).toEqual({
      one: { id: CANONICAL },
      maybe: { id: null },
      // Only IDs change: a String that looks like one stays as sent.
      input: { input: { id: CANONICAL, note: UPPER } },
      batch: { inputs: [{ id: CANONICAL }, { id: CANONICAL }] },
      nested: { input: { item: { id: CANONICAL }, ids: [CANONICAL], self: { ids: [CANONICAL] } } },
    });
  });

  it('answers a malformed id as that field’s BAD_USER_INPUT naming the argument, other fields unharmed', async () => {
    const result = await run(`{
      one(id: "x")
      input(input: { id: "${CANONICAL} " })
      nested(input: { self: { item: { id: "{${CANONICAL}" } } })
      noIds(name: "fine")
    }`);

    expect(result.data).toEqual({ one: null, input: null, nested: null, noIds: '{"name":"fine"}' });
    expect(result.errors).toEqual([
      { path: ['one'], extensions: { code: 'BAD_USER_INPUT', argument: 'id' } },
      { path: ['input'], extensions: { code: 'BAD_USER_INPUT', argument: 'input.id' } },
      { path: ['nested'], extensions: { code: 'BAD_USER_INPUT', argument: 'input.self.item.id' } },
    ]);
  });

  it('names the batch item of a malformed id by its index', async () => {
    const result = await run('query($inputs: [Item!]!) { batch(inputs: $inputs) }', { inputs: [{ id: CANONICAL }, { id: CANONICAL }, { id: 'nope' }] });

    expect(result.errors).toEqual([{ path: ['batch'], extensions: { code: 'BAD_USER_INPUT', argument: 'inputs.id', index: 2 } }]);
  });

  it('leaves the variables as the client sent them', async () => {
    const inputs = [{ id: UPPER }];

    await run('query($inputs: [Item!]!) { batch(inputs: $inputs) }', { inputs });

    expect(inputs).toEqual([{ id: UPPER }]);
  });

  it('wraps only the fields that take an ID', () => {
    expect(query.getFields().noIds!.resolve).toBe(resolvers.get('noIds'));
    expect(query.getFields().one!.resolve).not.toBe(resolvers.get('one'));
  });
});
