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
 * an entry in every index, costs the database more than reading the row. A
 * 500-item createTasks costs 500 x 2 plus the 500 tasks it answers (1,500),
 * where it used to cost 20 like any list. With its body and its run
 * (src/limits/request-charge.ts) such a batch is charged about 2,000 units,
 * so the default budget (10,000 units a second) bounds one writer to about
 * 2,500 rows a second.
 */
export const WRITE_ROW_COST = 2;
