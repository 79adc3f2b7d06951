import type { CreateTaskInput, TaskPriority, TaskStatus, UpdateTaskStatusInput } from './generated/graphql.js';

/**
 * Each line checked here before anything is sent, by the rules the API applies
 * (src/tasks/task.inputs.ts, task.service.ts): a bad line then costs no round
 * trip and never rejects the 499 good lines of its chunk. The server checks
 * again, so a rule that drifted costs one request, never a wrong write.
 */
const TOPIC_MAX_LENGTH = 500;
const OPTIONS_MAX_BYTES = 64 * 1024;
const ERROR_MAX_LENGTH = 10_000;
const PRIORITIES: readonly TaskPriority[] = ['LOW', 'NORMAL', 'HIGH', 'URGENT'];
const STATUSES: readonly TaskStatus[] = ['PENDING', 'RUNNING', 'COMPLETED', 'FAILED', 'CANCELLED'];
// What PostgreSQL's uuid takes, as the API does: 32 hex digits, a hyphen allowed after any group of four, braces optional.
const UUID = /^(?:\{[0-9a-f]{4}(?:-?[0-9a-f]{4}){7}\}|[0-9a-f]{4}(?:-?[0-9a-f]{4}){7})$/i;

/** One spelling per task id, to tell that two lines name the same task. */
export const taskKey = (id: string) => id.replace(/[{}-]/g, '').toLowerCase();

/** An input the line holds, or why it holds none. */
export type Checked<T> = { readonly input: T } | { readonly reason: string };

type JsonObject = Record<string, unknown>;

export function checkCreateTask(value: unknown): Checked<CreateTaskInput> {
  const object = asObject(value, ['topic', 'priority', 'options']);
  if (typeof object === 'string') return { reason: object };
  const { topic, priority, options } = object;
  if (typeof topic !== 'string') return { reason: 'topic must be a string' };
  // Code points after trimming, as the server counts them.
  const trimmed = topic.trim();
  // UTF-16 units are never fewer than code points: only a long topic needs counting.
  const length = trimmed.length <= TOPIC_MAX_LENGTH ? trimmed.length : [...trimmed].length;
  if (length === 0 || length > TOPIC_MAX_LENGTH) return { reason: `topic must be 1 to ${TOPIC_MAX_LENGTH} characters, not blank` };
  if (priority != null && !PRIORITIES.includes(priority as TaskPriority)) return { reason: `priority must be one of ${PRIORITIES.join(', ')}` };
  if (options != null) {
    if (!isPlainObject(options)) return { reason: 'options must be a JSON object' };
    if (Buffer.byteLength(JSON.stringify(options)) > OPTIONS_MAX_BYTES) return { reason: `options may be at most ${OPTIONS_MAX_BYTES} bytes of JSON` };
  }
  return { input: object as CreateTaskInput };
}

export function checkUpdateStatus(value: unknown): Checked<UpdateTaskStatusInput> {
  const object = asObject(value, ['id', 'status', 'progress', 'error']);
  if (typeof object === 'string') return { reason: object };
  const { id, status, progress, error } = object;
  if (typeof id !== 'string' || !UUID.test(id)) return { reason: 'id must be a task id (a UUID)' };
  if (!STATUSES.includes(status as TaskStatus)) return { reason: `status must be one of ${STATUSES.join(', ')}` };
  if (progress != null && (typeof progress !== 'number' || !(progress >= 0 && progress <= 1))) return { reason: 'progress must be a number from 0 to 1' };
  if (error != null && (typeof error !== 'string' || error.length === 0 || error.length > ERROR_MAX_LENGTH)) {
    return { reason: `error must be 1 to ${ERROR_MAX_LENGTH} characters` };
  }
  return { input: object as UpdateTaskStatusInput };
}

/** The value as an object with only the known fields, or why it is not one. */
function asObject(value: unknown, fields: readonly string[]): JsonObject | string {
  if (!isPlainObject(value)) return 'the line must be a JSON object';
  // GraphQL refuses an unknown input field for the whole request: catch it here, for this line only.
  const unknown = Object.keys(value).find((key) => !fields.includes(key));
  if (unknown !== undefined) return `unknown field "${unknown}" (expected ${fields.join(', ')})`;
  return value;
}

function isPlainObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The API's own canonical JSON: a line whose fields were reordered is the
 * same line (same digest, same idempotency key).
 */
export { canonicalJson } from '../../src/canonical-json.js';
