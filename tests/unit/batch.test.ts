import { describe, it, expect } from 'vitest';
import { GraphQLError } from 'graphql';
import { IsString, Length, Max, Min } from 'class-validator';
import { MAX_BATCH_SIZE, assertDistinct, validateBatch } from '../../src/batch.js';

/** A stand-in for a type-graphql input class: class-validator reads the decorators. */
class ItemInput {
  @IsString()
  @Length(1, 50)
  title: string;

  @Min(0)
  @Max(100)
  priority: number;

  constructor(title: string, priority: number) {
    this.title = title;
    this.priority = priority;
  }
}

const validItems = (count: number) => Array.from({ length: count }, (_, i) => new ItemInput(`item ${i}`, i % 100));

/** The extensions of the GraphQLError that run rejects or throws with. */
async function rejectionOf(run: () => unknown): Promise<GraphQLError['extensions']> {
  let error: unknown;
  try {
    await run();
  } catch (caught) {
    error = caught;
  }
  expect(error).toBeInstanceOf(GraphQLError);
  return (error as GraphQLError).extensions;
}

describe('validateBatch', () => {
  it('answers BAD_USER_INPUT for an empty batch', async () => {
    expect(await rejectionOf(() => validateBatch([], 'inputs'))).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'inputs' });
  });

  it('accepts a batch of exactly 500 items', async () => {
    expect(MAX_BATCH_SIZE).toBe(500);
    await expect(validateBatch(validItems(500), 'inputs')).resolves.toBeUndefined();
  });

  it('accepts a batch of one item', async () => {
    await expect(validateBatch(validItems(1), 'inputs')).resolves.toBeUndefined();
  });

  it('answers BATCH_TOO_LARGE for 501 items', async () => {
    expect(await rejectionOf(() => validateBatch(validItems(501), 'inputs'))).toEqual({
      code: 'BATCH_TOO_LARGE',
      argument: 'inputs',
      max: 500,
    });
  });

  it('checks the size before validating any item', async () => {
    const items = [...validItems(500), new ItemInput('', -1)];
    expect((await rejectionOf(() => validateBatch(items, 'inputs'))).code).toBe('BATCH_TOO_LARGE');
  });

  it('answers BAD_USER_INPUT naming the index of a bad item', async () => {
    const items = validItems(6);
    items[3] = new ItemInput('', 7);
    expect(await rejectionOf(() => validateBatch(items, 'inputs'))).toEqual({ code: 'BAD_USER_INPUT', argument: 'inputs', index: 3 });
  });

  it('names the first bad item when several are bad', async () => {
    const items = validItems(6);
    items[2] = new ItemInput('ok', 101);
    items[4] = new ItemInput('', -1);
    expect((await rejectionOf(() => validateBatch(items, 'inputs'))).index).toBe(2);
  });
});

describe('assertDistinct', () => {
  const A = '0b6f4c8e-2a1d-4e5f-9a3b-1c2d3e4f5a61';
  const B = '0b6f4c8e-2a1d-4e5f-9a3b-1c2d3e4f5a62';
  const C = '0b6f4c8e-2a1d-4e5f-9a3b-1c2d3e4f5a63';

  it('accepts distinct ids', () => {
    expect(() => assertDistinct([A, B, C], 'ids')).not.toThrow();
    expect(() => assertDistinct([], 'ids')).not.toThrow();
  });

  it('answers BAD_USER_INPUT naming the index of the second occurrence', async () => {
    expect(await rejectionOf(() => assertDistinct([A, B, C, B], 'ids'))).toEqual({ code: 'BAD_USER_INPUT', argument: 'ids', index: 3 });
  });

  // Ids spelled differently (case, braces, hyphens) arrive canonical: tests/integration/ids.test.ts.
});
