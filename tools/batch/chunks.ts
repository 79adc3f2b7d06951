import { type Command, failure } from './commands.js';
import type { GoodLine } from './lines.js';
import type { ResultRecord } from './results.js';
import { StopRun, type TransportOptions } from './transport.js';

export interface Chunk<T> {
  readonly index: number;
  readonly lines: readonly GoodLine<T>[];
  /** Chunks that must be finished before this one starts (they change the same tasks). */
  readonly after: readonly number[];
}

/**
 * The server's default body limit is 1 MiB; a chunk of large `options` is
 * closed before its JSON passes this, so it is not refused as a whole
 * (PAYLOAD_TOO_LARGE is still handled, by halving).
 */
export const CHUNK_MAX_BYTES = 768 * 1024;

/**
 * Cuts the good lines into chunks of at most `maxLines`, in file order. The
 * cut depends on the file alone, never on what is done already, so a run
 * after a kill sends the same chunks with the same keys.
 */
export function layoutChunks<T>(lines: readonly GoodLine<T>[], maxLines: number, taskOf?: (input: T) => string): Chunk<T>[] {
  const chunks: Chunk<T>[] = [];
  const lastChunkOfTask = new Map<string, number>();
  let current: GoodLine<T>[] = [];
  let bytes = 0;
  let tasks = new Set<string>();
  let after = new Set<number>();
  const close = () => {
    if (current.length === 0) return;
    chunks.push({ index: chunks.length, lines: current, after: [...after] });
    current = [];
    bytes = 0;
    tasks = new Set();
    after = new Set();
  };
  for (const line of lines) {
    const task = taskOf?.(line.input);
    // One task twice in a batch is refused by the server: the second goes in the next chunk.
    if (current.length >= maxLines || bytes + line.canonical.length > CHUNK_MAX_BYTES || (task !== undefined && tasks.has(task))) close();
    current.push(line);
    bytes += line.canonical.length + 1;
    if (task === undefined) continue;
    tasks.add(task);
    const earlier = lastChunkOfTask.get(task);
    if (earlier !== undefined) after.add(earlier);
    lastChunkOfTask.set(task, chunks.length);
  }
  close();
  return chunks;
}

// Answers that no line can change: the token, the scope, or a client that does not fit the server.
const REFUSING_CODES = new Set([
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'OPERATION_RESOLUTION_FAILURE',
  'BAD_REQUEST',
  'UNSUPPORTED_MEDIA_TYPE',
  'PERSISTED_QUERY_NOT_ALLOWED',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'QUERY_TOO_DEEP',
  'QUERY_TOO_COMPLEX',
  'TOO_MANY_ALIASES',
  'BATCH_TOO_LARGE',
]);

/**
 * Sends lines until each has a record. Batches are all or none: an error
 * naming an item (extensions.index) records that line and sends the rest
 * again; an error naming none is narrowed down by halving, down to the line.
 */
export async function settleLines<T>(command: Command<T>, transport: TransportOptions, fileDigest: string, lines: readonly GoodLine<T>[]) {
  const records: ResultRecord[] = [];
  const todo: (readonly GoodLine<T>[])[] = [lines];
  while (todo.length > 0) {
    const part = todo.pop()!;
    const sent = await command.send(transport, part, fileDigest);
    if ('records' in sent) {
      records.push(...sent.records);
      continue;
    }
    const error = sent.errors[0] ?? { message: 'The answer held neither data nor an error' };
    const code = error.extensions?.code ?? 'UNKNOWN';
    if (REFUSING_CODES.has(code)) throw new StopRun(`${code}: ${error.message}`, 'refused');
    const index = error.extensions?.index;
    const named = typeof index === 'number' ? part[index] : undefined;
    if (named) {
      records.push(command.refused(named, error));
      const rest = part.filter((line) => line !== named);
      if (rest.length > 0) todo.push(rest);
    } else if (part.length === 1 || code === 'IDEMPOTENCY_KEY_REUSED') {
      records.push(...part.map((line) => failure(line, error)));
    } else {
      const half = Math.ceil(part.length / 2);
      todo.push(part.slice(half), part.slice(0, half));
    }
  }
  return records;
}
