import { BatchCreateTasksDocument, BatchUpdateTasksStatusDocument, type CreateTaskInput, type UpdateTaskStatusInput } from './generated/graphql.js';
import { checkCreateTask, checkUpdateStatus, type Checked, taskKey } from './inputs.js';
import { digestOf, type GoodLine } from './lines.js';
import type { ResultRecord } from './results.js';
import { type GraphQLErrorJson, StopRun, type TransportOptions, postOperation } from './transport.js';

/** What one request for some lines came back with: a record per line, or the errors. */
export type Sent = { readonly records: ResultRecord[] } | { readonly errors: readonly GraphQLErrorJson[] };

export interface Command<T> {
  readonly name: 'create-tasks' | 'update-status';
  readonly check: (value: unknown) => Checked<T>;
  /**
   * The task a line changes, when lines must apply in file order per task
   * (update-status): a chunk naming a task of an earlier chunk waits for it.
   */
  readonly taskOf?: (input: T) => string;
  send(transport: TransportOptions, lines: readonly GoodLine<T>[], fileDigest: string): Promise<Sent>;
  /** The record of a line the server refused. */
  refused(line: GoodLine<T>, error: GraphQLErrorJson): ResultRecord;
}

export const failure = (line: { line: number; digest: string }, error: GraphQLErrorJson): ResultRecord => ({
  line: line.line,
  error: { code: error.extensions?.code ?? 'UNKNOWN', message: error.message },
  digest: line.digest,
});

export const createTasksCommand: Command<CreateTaskInput> = {
  name: 'create-tasks',
  check: checkCreateTask,

  /**
   * The idempotency key names the file and exactly these lines (numbers and
   * content): sent again after a kill or a lost answer, the same lines get the
   * same key and the server answers the first call instead of inserting again.
   */
  async send(transport, lines, fileDigest) {
    const batch = digestOf(lines.map((line) => `${line.line}\t${line.canonical}`).join('\n'), 32);
    const idempotencyKey = `batch:v1:${fileDigest}:${batch}`;
    const answer = await postOperation(transport, BatchCreateTasksDocument, { inputs: lines.map((line) => line.input), idempotencyKey });
    const tasks = answer.data?.createTasks;
    if (!tasks || answer.errors?.length) return { errors: answer.errors ?? [] };
    if (tasks.length !== lines.length) {
      // Only when tasks of the first call were deleted since: which line lost its task is unknown.
      throw new StopRun(`the server answered ${tasks.length} tasks for ${lines.length} lines (key ${idempotencyKey})`, 'refused');
    }
    return { records: lines.map((line, i) => ({ line: line.line, id: tasks[i]!.id, digest: line.digest, batch, batchSize: lines.length })) };
  },

  refused: failure,
};

export const updateStatusCommand: Command<UpdateTaskStatusInput> = {
  name: 'update-status',
  check: checkUpdateStatus,
  taskOf: (input) => taskKey(input.id),

  async send(transport, lines) {
    const answer = await postOperation(transport, BatchUpdateTasksStatusDocument, { inputs: lines.map((line) => line.input) });
    const tasks = answer.data?.updateTasksStatus;
    if (!tasks || answer.errors?.length) return { errors: answer.errors ?? [] };
    return { records: lines.map((line, i) => ({ line: line.line, id: tasks[i]!.id, status: tasks[i]!.status, digest: line.digest })) };
  },

  /**
   * Status updates carry no idempotency key: a chunk applied just before a
   * kill is applied again on the next run, and a task already COMPLETED
   * refuses to become COMPLETED. A refusal whose task already has the status
   * the line asks for is recorded as done (`already`), not as a failure.
   */
  refused(line, error) {
    const { code, from, to, id } = error.extensions ?? {};
    if (code === 'INVALID_TRANSITION' && typeof to === 'string' && from === to) {
      // The server's spelling of the id (canonical), as for the lines it updated.
      return { line: line.line, id: typeof id === 'string' ? id : line.input.id, status: to, already: true, digest: line.digest };
    }
    return failure(line, error);
  },
};
