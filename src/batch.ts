import { validate, type ValidationError } from 'class-validator';
import { ApiError, ErrorCode, badInput, batchItemError } from './errors.js';

/** A batch mutation takes at most this many items: larger ones are split by the client. */
export const MAX_BATCH_SIZE = 500;

/**
 * Checks a batch before anything is written: its size, then each item with
 * class-validator, so that the first bad item rejects the batch and is named
 * by its index (type-graphql's own validation would not say which item).
 */
export async function validateBatch(items: readonly object[], argument: string): Promise<void> {
  assertBatchSize(items, argument);
  for (const [index, item] of items.entries()) {
    const errors = await validate(item, { forbidUnknownValues: false });
    if (errors.length > 0) throw batchItemError(index, badInput(describeValidationErrors(errors), { argument }));
  }
}

/** A batch holds 1 to MAX_BATCH_SIZE items: BAD_USER_INPUT when empty, BATCH_TOO_LARGE past it. */
export function assertBatchSize(items: readonly unknown[], argument: string): void {
  if (items.length === 0) throw badInput(`${argument} must hold at least one item`, { argument });
  if (items.length > MAX_BATCH_SIZE) {
    throw new ApiError(ErrorCode.BATCH_TOO_LARGE, `${argument} may hold at most ${MAX_BATCH_SIZE} items, got ${items.length}`, {
      argument,
      max: MAX_BATCH_SIZE,
    });
  }
}

/** Throws BAD_USER_INPUT naming the index of the first id that occurs twice (ids are canonical: src/ids.ts). */
export function assertDistinct(ids: readonly string[], argument: string): void {
  const seen = new Set<string>();
  for (const [index, id] of ids.entries()) {
    if (seen.has(id)) throw batchItemError(index, badInput(`id ${id} occurs more than once in ${argument}`, { argument }));
    seen.add(id);
  }
}

/** Every broken constraint, nested inputs included, as one sentence. */
export function describeValidationErrors(errors: readonly ValidationError[]): string {
  const constraints = (error: ValidationError): string[] => [
    ...Object.values(error.constraints ?? {}),
    ...(error.children ?? []).flatMap(constraints),
  ];
  return errors.flatMap(constraints).join('; ');
}
