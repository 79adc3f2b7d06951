import { readFileSync } from 'node:fs';
import { buildSchema, getIntrospectionQuery, parse, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import { documentLimitErrors, documentSize } from '../../src/limits/document-limits.js';
import { knownOperationTypesRule } from '../../src/limits/operation-types.js';

const schema = buildSchema(readFileSync(new URL('../../schema.graphql', import.meta.url), 'utf8'));

const DEFAULTS = { maxDepth: 12, maxAliases: 30, maxSelections: 150, maxFragments: 50 };
/** The extensions of the errors the limits find in the document, `limits` overriding the defaults. */
const reported = (limits: Partial<typeof DEFAULTS>, text: string) =>
  documentLimitErrors(parse(text), { ...DEFAULTS, ...limits }).map((error) => error.extensions);
const depthLimit = (maxDepth: number) => ({ maxDepth });
const aliasLimit = (maxAliases: number) => ({ maxAliases });

/** `{ task(id: "x") { latestScript { task { ... id } } } }`: a chain exactly `depth` fields deep. */
function chain(depth: number): string {
  const between = Array.from({ length: depth - 2 }, (_, i) => (i % 2 === 0 ? 'latestScript' : 'task'));
  return `{ task(id: "x") { ${between.reduceRight((inner, field) => `${field} { ${inner} }`, 'id')} } }`;
}

describe('the depth limit', () => {
  it('counts the root field as 1 and each nested field as one more', () => {
    expect(reported(depthLimit(1), '{ viewer { id } }')).toEqual([{ code: 'QUERY_TOO_DEEP', depth: 2, maxDepth: 1 }]);
    expect(reported(depthLimit(2), '{ viewer { id } }')).toEqual([]);
  });

  it('allows 12 and refuses 13 with the default', () => {
    expect(reported({}, chain(12))).toEqual([]);
    expect(reported({}, chain(13))).toEqual([{ code: 'QUERY_TOO_DEEP', depth: 13, maxDepth: 12 }]);
  });

  it('takes the deepest branch and follows fragments and inline fragments', () => {
    const text = `
      { viewer { id } task(id: "x") { ... on Task { ...Deep } } }
      fragment Deep on Task { latestScript { task { id } } }`;
    expect(reported(depthLimit(3), text)).toEqual([{ code: 'QUERY_TOO_DEEP', depth: 4, maxDepth: 3 }]);
  });

  it('checks every operation of a document on its own', () => {
    const text = 'query A { viewer { id } } query B { task(id: "x") { latestScript { id } } }';
    expect(reported(depthLimit(2), text)).toEqual([{ code: 'QUERY_TOO_DEEP', depth: 3, maxDepth: 2 }]);
  });

  it('does not count introspection', () => {
    expect(reported(depthLimit(1), getIntrospectionQuery())).toEqual([]);
  });

  it('ends on a fragment cycle', () => {
    expect(reported(depthLimit(5), '{ viewer { ...A } } fragment A on User { id ...A }')).toEqual([]);
  });
});

describe('the alias limit', () => {
  it('refuses more aliases than the limit, naming both', () => {
    expect(reported(aliasLimit(1), '{ a: viewer { id } b: viewer { id } }')).toEqual([{ code: 'TOO_MANY_ALIASES', aliases: 2, maxAliases: 1 }]);
    expect(reported(aliasLimit(2), '{ a: viewer { id } b: viewer { id } }')).toEqual([]);
  });

  it('counts nested aliases and a fragment’s aliases each time it is spread', () => {
    const text = `
      { a: viewer { ...Two } b: viewer { ...Two } }
      fragment Two on User { x: id y: email }`;
    expect(reported(aliasLimit(5), text)).toEqual([{ code: 'TOO_MANY_ALIASES', aliases: 6, maxAliases: 5 }]);
  });

  it('counts an alias that repeats the field’s own name', () => {
    expect(reported(aliasLimit(0), '{ viewer: viewer { id } }')).toEqual([{ code: 'TOO_MANY_ALIASES', aliases: 1, maxAliases: 0 }]);
  });

  it('ends on a fragment cycle', () => {
    expect(reported(aliasLimit(5), '{ viewer { ...A } } fragment A on User { x: id ...A }')).toEqual([]);
  });
});

describe('the document size limit', () => {
  it('counts fields, inline fragments and spreads as written, fragment definitions included', () => {
    const text = '{ viewer { id ...U ... on User { email } } } fragment U on User { id displayName }';
    expect(documentSize(parse(text))).toEqual({ selections: 7, fragments: 1 });
  });

  it('refuses more selections than QUERY_MAX_SELECTIONS with QUERY_TOO_LARGE, naming both, before depth or aliases', () => {
    const text = `{ ${Array.from({ length: 151 }, (_, i) => `a${i}: __typename`).join(' ')} }`;
    expect(reported({}, text)).toEqual([{ code: 'QUERY_TOO_LARGE', selections: 151, maxSelections: 150 }]);
    expect(reported({ maxSelections: 151, maxAliases: 300 }, text)).toEqual([]);
  });

  it('refuses more fragment definitions than QUERY_MAX_FRAGMENTS', () => {
    const text = '{ viewer { ...A ...B } } fragment A on User { id } fragment B on User { id }';
    expect(reported({ maxFragments: 1 }, text)).toEqual([{ code: 'QUERY_TOO_LARGE', fragments: 2, maxFragments: 1 }]);
  });

  it('measures the size first, so that the recursive depth and alias walks never see more than the limit', () => {
    const deep = `{ ${'viewer { '.repeat(600)}id${' }'.repeat(600)} }`;
    expect(reported({}, deep)).toEqual([{ code: 'QUERY_TOO_LARGE', selections: 601, maxSelections: 150 }]);
    expect(reported({ maxSelections: 601 }, deep)).toEqual([{ code: 'QUERY_TOO_DEEP', depth: 601, maxDepth: 12 }]);
  });
});

describe('knownOperationTypesRule', () => {
  it('refuses an operation type the schema lacks: a subscription where there is no Subscription type', () => {
    // The API's schema has subscriptions now (src/subscriptions/): a schema of queries alone stands for one without.
    const queriesOnly = buildSchema('type Query { viewer: ID }');
    expect(validate(queriesOnly, parse('subscription { tasks { id } }'), [knownOperationTypesRule]).map((error) => error.message)).toEqual([
      'This schema has no subscription operations',
    ]);
  });

  it('lets queries and mutations through', () => {
    expect(validate(schema, parse('query { viewer { id } } mutation M { deleteTask(id: "x") }'), [knownOperationTypesRule])).toEqual([]);
  });
});
