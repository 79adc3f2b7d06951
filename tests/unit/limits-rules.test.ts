import { readFileSync } from 'node:fs';
import { buildSchema, getIntrospectionQuery, parse, validate, type ValidationRule } from 'graphql';
import { describe, expect, it } from 'vitest';
import { aliasLimitRule } from '../../src/limits/aliases.js';
import { depthLimitRule } from '../../src/limits/depth.js';
import { createLimitRules } from '../../src/limits/index.js';
import { knownOperationTypesRule } from '../../src/limits/operation-types.js';

const schema = buildSchema(readFileSync(new URL('../../schema.graphql', import.meta.url), 'utf8'));

/** The extensions of the errors `rule` reports for the document (graphql's own rules left out). */
const reported = (rule: ValidationRule, text: string) => validate(schema, parse(text), [rule]).map((error) => error.extensions);

/** `{ task(id: "x") { latestScript { task { ... id } } } }`: a chain exactly `depth` fields deep. */
function chain(depth: number): string {
  const between = Array.from({ length: depth - 2 }, (_, i) => (i % 2 === 0 ? 'latestScript' : 'task'));
  return `{ task(id: "x") { ${between.reduceRight((inner, field) => `${field} { ${inner} }`, 'id')} } }`;
}

describe('depthLimitRule', () => {
  it('counts the root field as 1 and each nested field as one more', () => {
    expect(reported(depthLimitRule(1), '{ viewer { id } }')).toEqual([{ code: 'QUERY_TOO_DEEP', depth: 2, maxDepth: 1 }]);
    expect(reported(depthLimitRule(2), '{ viewer { id } }')).toEqual([]);
  });

  it('allows 12 and refuses 13 with the default', () => {
    const limits = { maxDepth: 12, maxAliases: 30, maxCost: 20_000, maxTokens: 5_000, maxBodyBytes: 1_048_576 };
    const all = (text: string) => validate(schema, parse(text), createLimitRules(limits)).map((error) => error.extensions);

    expect(all(chain(12))).toEqual([]);
    expect(all(chain(13))).toEqual([{ code: 'QUERY_TOO_DEEP', depth: 13, maxDepth: 12 }]);
  });

  it('takes the deepest branch and follows fragments and inline fragments', () => {
    const text = `
      { viewer { id } task(id: "x") { ... on Task { ...Deep } } }
      fragment Deep on Task { latestScript { task { id } } }`;
    expect(reported(depthLimitRule(3), text)).toEqual([{ code: 'QUERY_TOO_DEEP', depth: 4, maxDepth: 3 }]);
  });

  it('checks every operation of a document on its own', () => {
    const text = 'query A { viewer { id } } query B { task(id: "x") { latestScript { id } } }';
    expect(reported(depthLimitRule(2), text)).toEqual([{ code: 'QUERY_TOO_DEEP', depth: 3, maxDepth: 2 }]);
  });

  it('does not count introspection', () => {
    expect(reported(depthLimitRule(1), getIntrospectionQuery())).toEqual([]);
  });

  it('ends on a fragment cycle', () => {
    expect(reported(depthLimitRule(5), '{ viewer { ...A } } fragment A on User { id ...A }')).toEqual([]);
  });
});

describe('aliasLimitRule', () => {
  it('refuses more aliases than the limit, naming both', () => {
    expect(reported(aliasLimitRule(1), '{ a: viewer { id } b: viewer { id } }')).toEqual([{ code: 'TOO_MANY_ALIASES', aliases: 2, maxAliases: 1 }]);
    expect(reported(aliasLimitRule(2), '{ a: viewer { id } b: viewer { id } }')).toEqual([]);
  });

  it('counts nested aliases and a fragment’s aliases each time it is spread', () => {
    const text = `
      { a: viewer { ...Two } b: viewer { ...Two } }
      fragment Two on User { x: id y: email }`;
    expect(reported(aliasLimitRule(5), text)).toEqual([{ code: 'TOO_MANY_ALIASES', aliases: 6, maxAliases: 5 }]);
  });

  it('counts an alias that repeats the field’s own name', () => {
    expect(reported(aliasLimitRule(0), '{ viewer: viewer { id } }')).toEqual([{ code: 'TOO_MANY_ALIASES', aliases: 1, maxAliases: 0 }]);
  });

  it('ends on a fragment cycle', () => {
    expect(reported(aliasLimitRule(5), '{ viewer { ...A } } fragment A on User { x: id ...A }')).toEqual([]);
  });
});

describe('knownOperationTypesRule', () => {
  it('refuses a subscription: the schema has none', () => {
    expect(validate(schema, parse('subscription { tasks { id } }'), [knownOperationTypesRule]).map((error) => error.message)).toEqual([
      'This schema has no subscription operations',
    ]);
  });

  it('lets queries and mutations through', () => {
    expect(validate(schema, parse('query { viewer { id } } mutation M { deleteTask(id: "x") }'), [knownOperationTypesRule])).toEqual([]);
  });
});
