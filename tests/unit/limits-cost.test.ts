import { readFileSync } from 'node:fs';
import { Kind, buildSchema, getIntrospectionQuery, parse, type OperationDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { operationCost } from '../../src/limits/cost.js';

const schema = buildSchema(readFileSync(new URL('../../schema.graphql', import.meta.url), 'utf8'));

/** The cost of the document's first operation. */
function costOf(text: string, variables: Record<string, unknown> = {}): number {
  const document = parse(text);
  const operation = document.definitions.find((definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION)!;
  return operationCost(schema, document, operation, variables);
}

const example = (name: string) => readFileSync(new URL(`../../tools/explain/examples/${name}.graphql`, import.meta.url), 'utf8');

describe('operationCost', () => {
  it('counts every object once and leaves free', () => {
    expect(costOf('{ viewer { id email displayName config } }')).toBe(1);
    expect(costOf('{ task(id: "x") { id topic latestScript { id title } } }')).toBe(2);
  });

  it('counts a connection as one object whose nodes are as many as its page', () => {
    expect(costOf('{ tasks(first: 5) { nodes { id } } }')).toBe(1 + 5);
    expect(costOf('{ tasks(first: 5) { nodes { id } edges { cursor node { id } } pageInfo { hasNextPage } } }')).toBe(1 + 5 + 5 * 2 + 1);
  });

  it('takes a page of 20 when first and last are absent', () => {
    expect(costOf('{ tasks { nodes { id } } }')).toBe(1 + 20);
    expect(costOf('{ conversations { nodes { messages { nodes { id } } } } }')).toBe(1 + 20 * (1 + 1 + 20));
  });

  it('multiplies nested lists', () => {
    const tree = '{ tasks(first: 20) { nodes { storyboards(first: 10) { nodes { video { url } } } } } }';
    expect(costOf(tree)).toBe(1 + 20 * (1 + 1 + 10 * (1 + 1)));
  });

  it('counts a plain list as long as its page: first, else the default its schema declares', () => {
    expect(costOf('{ task(id: "x") { scripts { id } resources { id } conversations { id } } }')).toBe(1 + 10 + 100 + 20);
    expect(costOf('{ task(id: "x") { scripts(first: 3) { id } resources(first: 0) { id } } }')).toBe(1 + 3);
    expect(costOf('query ($n: Int) { task(id: "x") { scripts(first: $n) { id } } }', { n: 1_000 })).toBe(1 + 100);
  });

  it('costs the benchmark’s W3 task tree 881 and W4 1,661 (400 message contents), far below the default 20,000', () => {
    expect(costOf(example('w3-task-tree'))).toBe(881);
    expect(costOf(example('w4-conversations'))).toBe(1 + 20 * (1 + 1 + 1 + 20 * (1 + 3)));
    expect(costOf(example('w1-task'))).toBe(1);
  });

  it('costs 10,000 storyboards with their media 30,201: over the default', () => {
    const heavy = '{ tasks(first: 100) { nodes { storyboards(first: 100) { nodes { firstFrameImage { url } video { url } } } } } }';
    expect(costOf(heavy)).toBe(30_201);
  });

  it('adds up aliases', () => {
    const page = 'tasks(first: 100) { nodes { storyboards(first: 100) { nodes { id } } } }';
    expect(costOf(`{ a: ${page} }`)).toBe(10_201);
    expect(costOf(`{ a: ${page} b: ${page} }`)).toBe(20_402);
  });

  it('reads page sizes from variables, then from the variables’ defaults', () => {
    const paged = 'query ($n: Int = 50) { tasks(first: $n) { nodes { id } } }';
    expect(costOf(paged, { n: 10 })).toBe(1 + 10);
    expect(costOf(paged)).toBe(1 + 50);
    expect(costOf('query ($n: Int) { tasks(first: $n) { nodes { id } } }')).toBe(1 + 20);
  });

  it('charges the rows an offset skips, a unit per 20, up to the 10,000 allowed', () => {
    expect(costOf('{ tasks(first: 10, offset: 0) { nodes { id } } }')).toBe(1 + 10);
    expect(costOf('{ tasks(first: 10, offset: 1) { nodes { id } } }')).toBe(1 + 1 + 10);
    expect(costOf('query ($o: Int) { tasks(first: 10, offset: $o) { nodes { id } } }', { o: 9_000 })).toBe(1 + 450 + 10);
    expect(costOf('{ tasks(first: 10, offset: 1000000) { nodes { id } } }')).toBe(1 + 500 + 10);
    expect(costOf('{ tasks(first: 10, offset: -5) { nodes { id } } }')).toBe(1 + 10);
    expect(costOf('{ viewer { tasks(first: 1, offset: 100) { nodes { id } } } }')).toBe(1 + (1 + 5 + 1));
  });

  it('takes the larger of first and last', () => {
    expect(costOf('{ conversation(id: "x") { messages(first: 3, last: 7) { nodes { id } } } }')).toBe(1 + 1 + 7);
  });

  it('counts a page between 0 and 100: its resolver refuses anything else before reading', () => {
    const paged = 'query ($n: Int) { tasks(first: $n) { nodes { id } } }';
    expect(costOf(paged, { n: 1_000_000 })).toBe(1 + 100);
    expect(costOf(paged, { n: -5 })).toBe(1);
    expect(costOf(paged, { n: 0 })).toBe(1);
  });

  it('takes 20 for a page size that is not a whole number (its coercion fails later)', () => {
    const paged = 'query ($n: Int) { tasks(first: $n) { nodes { id } } }';
    expect(costOf(paged, { n: 'ten' })).toBe(1 + 20);
    expect(costOf(paged, { n: 2.5 })).toBe(1 + 20);
  });

  it('follows fragments and inline fragments, in the page they are spread in', () => {
    const text = `
      { tasks(first: 10) { ...Page } viewer { ... on User { tasks(first: 2) { ...Page } } } }
      fragment Page on TaskConnection { nodes { ...Task } }
      fragment Task on Task { latestScript { id } }`;
    expect(costOf(text)).toBe(1 + 10 * (1 + 1) + 1 + (1 + 2 * (1 + 1)));
  });

  it('measures a fragment spread 2^40 times at once', () => {
    const fragments = ['fragment F0 on TaskConnection { nodes { id } }'];
    for (let n = 1; n <= 40; n++) fragments.push(`fragment F${n} on TaskConnection { ...F${n - 1} ...F${n - 1} }`);
    const started = performance.now();

    const cost = costOf(`{ tasks(first: 1) { ...F40 } } ${fragments.join(' ')}`);

    expect(performance.now() - started).toBeLessThan(100);
    expect(cost).toBe(1 + 2 ** 40);
  });

  it('stops at a fragment cycle (graphql’s own rule reports it)', () => {
    expect(costOf('{ viewer { ...A } } fragment A on User { tasks(first: 2) { nodes { id } } ...A }')).toBe(1 + 1 + 2);
  });

  it('costs introspection nothing', () => {
    expect(costOf(getIntrospectionQuery())).toBe(0);
    expect(costOf('{ __typename viewer { __typename id } }')).toBe(1);
  });

  it('charges a write 4 units per row it writes, plus the objects it answers', () => {
    expect(costOf('mutation { createTask(input: { topic: "t" }) { id } }')).toBe(4 + 1);
    expect(costOf('mutation { deleteTask(id: "x") }')).toBe(4);
    const batch = 'mutation ($inputs: [CreateTaskInput!]!) { createTasks(inputs: $inputs) { id latestScript { id } } }';
    const inputs = (n: number) => Array.from({ length: n }, () => ({ topic: 't' }));
    expect(costOf(batch, { inputs: inputs(500) })).toBe(500 * 4 + 500 * (1 + 1));
    expect(costOf(batch, { inputs: inputs(1) })).toBe(4 + 2);
    expect(costOf('mutation { createTasks(inputs: [{ topic: "a" }, { topic: "b" }]) { id } }')).toBe(2 * 4 + 2);
  });

  it('charges a batch above 500 items as 500: it is refused before it writes', () => {
    const batch = 'mutation ($inputs: [UpdateTaskStatusInput!]!) { updateTasksStatus(inputs: $inputs) { id } }';
    expect(costOf(batch, { inputs: Array.from({ length: 10_000 }, () => ({})) })).toBe(500 * 4 + 500);
  });

  it('weighs a large text by its maximum: a unit per 10,000 characters beyond the first', () => {
    expect(costOf('{ script(id: "x") { id title } }')).toBe(1);
    expect(costOf('{ script(id: "x") { content } }')).toBe(1 + 10);
    expect(costOf('{ task(id: "x") { options error scripts(first: 5) { content } } }')).toBe(1 + 6 + 1 + 5 * (1 + 10));
    expect(costOf('{ conversation(id: "x") { messages(last: 20) { nodes { content } } } }')).toBe(1 + 1 + 20 * (1 + 3));
    expect(costOf('{ storyboard(id: "x") { prompt description } }')).toBe(1);
  });

  it('refuses a thousand one-megabyte scripts: 100 tasks with 100 script contents each cost over 100,000', () => {
    expect(costOf('{ tasks(first: 100) { nodes { scripts(first: 100) { content } } } }')).toBe(1 + 100 * (1 + 100 * (1 + 10)));
  });
});
