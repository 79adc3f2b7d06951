import type { RunningTask } from './fixtures.js';
import * as op from './operations.js';
import { createGraphQLClient, queryData } from './graphql-client.js';
import { countCacheHeader, type ResponseCacheCount } from './load.js';
import { LatencyRecorder } from './stats.js';
import { CheckFailed, type LoopOutcome, type Workload } from './workload.js';

const UPDATE_SHARE = 0.1;
/** Each update closes this share of the gap to 1: progress rises forever without reaching 1 (or COMPLETED). */
const PROGRESS_STEP = 0.001;
const STALE_EXAMPLES = 3;

/**
 * What the runner knows of each task's progress. An update is sent only when
 * none is in flight for that task, with a value above the last acknowledged
 * one, so the server's rule (a RUNNING task's progress only grows) never
 * refuses it. `acked` rises when the server's answer arrives.
 */
class ProgressLedger {
  readonly acked = new Map<string, number>();
  readonly inFlight = new Set<string>();
  staleReads = 0;
  readonly staleExamples: string[] = [];

  constructor(readonly tasks: readonly RunningTask[]) {
    for (const task of tasks) this.acked.set(task.id, task.progress);
  }

  /** A random task with no update in flight, or undefined when every one has one. */
  pickIdle(): RunningTask | undefined {
    const start = Math.floor(Math.random() * this.tasks.length);
    for (let i = 0; i < this.tasks.length; i++) {
      const task = this.tasks[(start + i) % this.tasks.length]!;
      if (!this.inFlight.has(task.id)) return task;
    }
    return undefined;
  }

  pickAny(): RunningTask {
    return this.tasks[Math.floor(Math.random() * this.tasks.length)]!;
  }
}

interface Counters {
  reads: number;
  updates: number;
  refusedUpdates: number;
  http: number;
  graphql: number;
  network: number;
  firstError: string | undefined;
}

type TaskAnswer = { id: string; status: string; progress: number } | null;

/**
 * W8: 90 % reads of task(id) and 10 % progress updates of the same RUNNING
 * tasks, from `connections` concurrent workers. A read that starts after an
 * update of its task was acknowledged must see at least that progress: any
 * lower value is a stale read (a cache or replica serving old data).
 */
async function runMixedLoop(ledger: ProgressLedger, url: string, connections: number, durationS: number): Promise<LoopOutcome> {
  const all = new LatencyRecorder();
  const readLatencies = new LatencyRecorder();
  const updateLatencies = new LatencyRecorder();
  const counters: Counters = { reads: 0, updates: 0, refusedUpdates: 0, http: 0, graphql: 0, network: 0, firstError: undefined };
  const staleBefore = ledger.staleReads;
  const responseCache: ResponseCacheCount = { hits: 0, tagged: 0 };
  const client = createGraphQLClient(connections);
  const startedAt = performance.now();
  const deadline = startedAt + durationS * 1000;

  /** Sends one operation, times it, and counts its errors; answers the task, or undefined on any error. */
  async function send(task: RunningTask, query: string, variables: Record<string, unknown>, field: 'task' | 'updateTaskStatus', recorder: LatencyRecorder) {
    const sentAt = performance.now();
    try {
      // The agent's workers write progress, the frontend reads it: the same user, two tokens.
      const token = field === 'updateTaskStatus' ? task.viewer.agentToken : task.viewer.token;
      const answer = await client.post<Record<string, TaskAnswer>>(url, token, { query, variables });
      const ms = performance.now() - sentAt;
      all.record(ms);
      recorder.record(ms);
      countCacheHeader(responseCache, answer.cacheStatus);
      if (answer.status < 200 || answer.status >= 300) counters.http += 1;
      else if (answer.errors !== undefined) counters.graphql += 1;
      else return answer.data?.[field] ?? null;
      const codes = answer.errors?.map((e) => e.extensions?.code ?? 'ERROR') ?? [];
      if (codes.includes('INVALID_TRANSITION')) counters.refusedUpdates += 1;
      counters.firstError ??= `HTTP ${answer.status}: ${answer.errors?.map((e) => `${e.extensions?.code}: ${e.message}`).join('; ') ?? ''}`;
    } catch (error) {
      counters.network += 1;
      counters.firstError ??= `no answer: ${error instanceof Error ? error.message : String(error)}`;
    }
    return undefined;
  }

  async function update(task: RunningTask): Promise<void> {
    ledger.inFlight.add(task.id);
    const acked = ledger.acked.get(task.id)!;
    const progress = acked + (1 - acked) * PROGRESS_STEP;
    counters.updates += 1;
    const answer = await send(task, op.RAISE_PROGRESS, { input: { id: task.id, status: 'RUNNING', progress } }, 'updateTaskStatus', updateLatencies);
    if (answer) ledger.acked.set(task.id, Math.max(acked, answer.progress));
    ledger.inFlight.delete(task.id);
  }

  async function read(task: RunningTask): Promise<void> {
    // What was acknowledged before this read started is the least it may see.
    const required = ledger.acked.get(task.id)!;
    counters.reads += 1;
    const answer = await send(task, op.TASK_PROGRESS, { id: task.id }, 'task', readLatencies);
    if (answer && answer.progress < required) {
      ledger.staleReads += 1;
      if (ledger.staleExamples.length < STALE_EXAMPLES) ledger.staleExamples.push(`task ${task.id}: read ${answer.progress} after ${required} was acknowledged`);
    }
  }

  async function worker(): Promise<void> {
    while (performance.now() < deadline) {
      const idle = Math.random() < UPDATE_SHARE ? ledger.pickIdle() : undefined;
      await (idle ? update(idle) : read(ledger.pickAny()));
    }
  }

  await Promise.all(Array.from({ length: connections }, worker));
  const durationMs = performance.now() - startedAt;
  client.close();
  const notes = [`${ledger.tasks.length} RUNNING tasks, ${Math.round(UPDATE_SHARE * 100)} % progress updates`];
  if (counters.refusedUpdates > 0) notes.push(`${counters.refusedUpdates} updates refused (INVALID_TRANSITION): a workload bug`);
  notes.push(...ledger.staleExamples.map((example) => `stale: ${example}`));
  return {
    responses: all.count,
    durationS: durationMs / 1000,
    latencies: all,
    errors: { http: counters.http, graphql: counters.graphql, network: counters.network },
    firstError: counters.firstError,
    responseCache,
    extra: {
      reads: counters.reads,
      updates: counters.updates,
      // Counted since the workload was prepared: the warmup's reads are checked too.
      staleReads: ledger.staleReads,
      staleReadsTimed: ledger.staleReads - staleBefore,
      readP95Ms: readLatencies.summary().p95,
      updateP95Ms: updateLatencies.summary().p95,
    },
    notes,
  };
}

export const consistencyWorkload: Workload = {
  id: 'W8',
  title: '90 % reads / 10 % updates',
  async prepare({ url, fixtures }) {
    const sample = fixtures.runningTasks[0];
    if (sample === undefined) throw new CheckFailed('the viewers have no RUNNING task to update');
    const { task } = await queryData<{ task: TaskAnswer }>(url, sample.viewer.token, { query: op.TASK_PROGRESS, variables: { id: sample.id } });
    if (task?.status !== 'RUNNING' || task.progress < sample.progress) {
      throw new CheckFailed(`task(${sample.id}) answered ${JSON.stringify(task)}, the database has RUNNING at ${sample.progress}`);
    }
    // One ledger for the warmup and the timed phase: the warmup's updates raise the values the timed phase starts from.
    const ledger = new ProgressLedger(fixtures.runningTasks);
    return [
      {
        kind: 'loop',
        key: 'W8',
        title: this.title,
        notes: [],
        run: ({ url: target, connections, durationS }) => runMixedLoop(ledger, target, connections, durationS),
      },
    ];
  },
};
