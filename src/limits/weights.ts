import { MESSAGE_MAX_LENGTH } from '../conversations/conversation.inputs.js';
import { SCRIPT_CONTENT_MAX_LENGTH } from '../scripts/script.inputs.js';
import { ERROR_MAX_LENGTH, OPTIONS_MAX_BYTES } from '../tasks/task.inputs.js';

/**
 * What a field costs beyond the object it rides with (src/limits/cost.ts).
 *
 * An object counts 1 unit and brings its small leaves along; a text that may
 * hold tens of thousands of characters is priced by its maximum, one unit per
 * 10,000 characters beyond the first (the row's own unit covers that much):
 * the estimate is made before anything is read, so it must assume the worst.
 */
export const TEXT_COST_UNIT_CHARS = 10_000;

/** The largest value each large text field can hold, in characters (bytes of JSON for `options`). */
const LARGE_TEXT_MAX_CHARS: Readonly<Record<string, number>> = {
  'Script.content': SCRIPT_CONTENT_MAX_LENGTH,
  'Message.content': MESSAGE_MAX_LENGTH,
  'Task.options': OPTIONS_MAX_BYTES,
  'Task.error': ERROR_MAX_LENGTH,
};

/** Cost units of a leaf field: 0 unless it is one of the large texts above. */
export function textWeight(typeName: string, fieldName: string): number {
  const maxChars = LARGE_TEXT_MAX_CHARS[`${typeName}.${fieldName}`];
  return maxChars === undefined ? 0 : Math.floor(maxChars / TEXT_COST_UNIT_CHARS);
}

/**
 * Cost units per row a mutation writes: an INSERT or UPDATE, with its WAL and
 * an entry in every index, costs the database more than reading the row, and
 * the write path (live updates, cache fences) handles each row. Measured
 * in-process (tools/abuse/calibrate.ts): a 500-item createTasks costs 12 ms
 * of the API's CPU and 7 ms of PostgreSQL's, 38 us a row. It costs 500 x 4
 * plus the 500 tasks it answers (2,500), where it used to cost 20 like any
 * list, then 1,500; with its body, its run and its statement
 * (src/limits/request-charge.ts) about 3,000 units, 30 ms: the default budget
 * (10,000 units a second) bounds one writer to about 1,600 rows a second.
 */
export const WRITE_ROW_COST = 4;

/**
 * Rows an `offset` skips, per cost unit: PostgreSQL still reads every skipped
 * row, in the index (the tasks page counts them off in an index-only scan,
 * ~2 ms at offset 9,000, src/tasks/task.repository.ts) or in the table when a
 * filter is not in it (~20 ms). 0.5 us a row, between the two: the deepest
 * offset allowed (10,000) costs 500 units, where a new offset page used to
 * cost what a first page does.
 */
export const OFFSET_ROWS_PER_UNIT = 20;
