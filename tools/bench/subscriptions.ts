import WebSocket from 'ws';
import type { Fixtures, RunningTask, Viewer } from './fixtures.js';
import { createGraphQLClient, queryData } from './graphql-client.js';
import { scrapeMetrics } from './metrics.js';
import { CREATE_TASKS } from './operations.js';
import { LatencyRecorder } from './stats.js';
import { targetsOf } from './targets.js';
import { CheckFailed, type LoopOutcome, type LoopPhase, type Workload } from './workload.js';

/**
 * W9: many subscribers watching progress. Sockets of the bench viewers, each
 * with SUBSCRIPTIONS_PER_SOCKET taskUpdated subscriptions on its viewer's
 * RUNNING tasks, while agents raise those tasks' progress at UPDATES_PER_S in
 * all. Measured: delivery latency (the task's updatedAt, its commit, to the
 * client reading the event: same machine, same clock), events lost (a
 * subscription that did not end on the last acknowledged progress of its
 * task; coalescing may skip intermediate values, never the last), and the
 * server's RSS per subscription.
 *
 * Two shapes, both timed in every run:
 * - W9: every subscription watches a task of its own, created for the run.
 *   taskUpdated is scoped to the task's owner, so a task's subscribers are
 *   its owner's tabs: one update is one event, and 1,000 updates/s are 1,000
 *   events/s.
 * - W9-fanout: the bench data's 2 RUNNING tasks per viewer, each watched by
 *   every subscription of that viewer (50 at the default size): one update is
 *   50 events. This stresses delivery (the shared execution, the per-socket
 *   writes) far beyond what owner-scoped progress meets in use.
 */
const SUBSCRIPTIONS_PER_SOCKET = 10;
/** At the default 32 connections: 1,000 sockets, 10,000 subscriptions, 1,000 updates/s. A smoke run (2 connections) scales down. */
const SOCKETS_PER_CONNECTION = 32;
const MAX_SOCKETS = 1_000;
const MAX_UPDATES_PER_S = 1_000;
/** Tasks one progress report carries at most: an agent's worker reports the tasks it runs, not all of a viewer's. */
const TASKS_PER_REPORT = 10;
/** updateTasksStatus takes up to 500 inputs; W9 makes its tasks RUNNING in chunks of this many. */
const TASKS_PER_SETUP_CHUNK = 100;
const SETTLE_MS = 10_000;
const SUBSCRIPTION = 'subscription($id: ID!, $since: String) { taskUpdated(id: $id, since: $since) { id progress updatedAt version } }';
const PROGRESS = 'query($id: ID!) { task(id: $id) { status progress version } }';
const RAISE = 'mutation($inputs: [UpdateTaskStatusInput!]!) { updateTasksStatus(inputs: $inputs) { id progress } }';
const START = 'mutation($inputs: [UpdateTaskStatusInput!]!) { updateTasksStatus(inputs: $inputs) { id status progress version } }';
/** One socket in this many closes halfway through the run and comes back with `since`: what it missed must still arrive. */
const RECONNECT_ONE_IN = 10;
/** How long those sockets stay away: long enough for their tasks to move on without them. */
const AWAY_MS = 1_000;

/** A RUNNING task with the version it had before the run: what a resubscribe before its first event resumes from. */
interface WatchedTask extends RunningTask {
  readonly version: string;
}

interface Watch {
  readonly task: WatchedTask;
  lastProgress: number;
  /** Of the latest value received: a reconnect resubscribes with it as `since`. */
  version: string;
}

/** What each socket subscribes to: its viewer's tasks, one subscription per entry. */
interface SocketPlan {
  readonly viewer: Viewer;
  readonly tasks: readonly WatchedTask[];
}

export const subscriptionsWorkload: Workload = {
  id: 'W9',
  title: 'subscribers of progress',
  async prepare({ url, fixtures, metricsToken }) {
    if (fixtures.runningTasks.length === 0) throw new CheckFailed('the viewers have no RUNNING task to watch');
    // Progress as it is now: W8 raised it since the fixtures were read, and progress never goes down.
    const shared = await Promise.all(
      fixtures.runningTasks.map(async (task) => {
        const answer = await queryData<{ task: { status: string; progress: number; version: string } | null }>(targetsOf(url)[0]!, task.viewer.token, { query: PROGRESS, variables: { id: task.id } });
        if (answer.task?.status !== 'RUNNING') throw new CheckFailed(`task(${task.id}) is ${JSON.stringify(answer.task)}, not RUNNING`);
        return { ...task, progress: answer.task.progress, version: answer.task.version };
      }),
    );
    const ownTasks: LoopPhase = {
      kind: 'loop',
      key: 'W9',
      title: `${this.title}, a task each`,
      notes: [],
      run: async ({ url: target, connections, durationS }) => {
        const plans = await ownTaskPlans(targetsOf(target)[0]!, fixtures, socketCountOf(connections));
        return runW9(plans, target, durationS, metricsToken);
      },
    };
    const fannedOut: LoopPhase = {
      kind: 'loop',
      key: 'W9-fanout',
      title: `${this.title}, many per task`,
      notes: [],
      run: ({ url: target, connections, durationS }) => runW9(sharedTaskPlans(shared, socketCountOf(connections)), target, durationS, metricsToken),
    };
    return [ownTasks, fannedOut];
  },
};

function socketCountOf(connections: number): number {
  return Math.min(MAX_SOCKETS, connections * SOCKETS_PER_CONNECTION);
}

/** Socket s is viewer s mod V's; its subscriptions take turns over that viewer's RUNNING tasks. */
function sharedTaskPlans(tasks: readonly WatchedTask[], socketCount: number): SocketPlan[] {
  const byViewer = groupByViewer(tasks);
  return Array.from({ length: socketCount }, (_, s) => {
    const own = byViewer[s % byViewer.length]!;
    return { viewer: own[0]!.viewer, tasks: Array.from({ length: SUBSCRIPTIONS_PER_SOCKET }, (_, i) => own[i % own.length]!) };
  });
}

/**
 * Socket s is viewer s mod V's and watches SUBSCRIPTIONS_PER_SOCKET tasks
 * nobody else watches, created for the run (topics start with the run's tag,
 * so the runner deletes them with W5's and W6's) and made RUNNING the way an
 * agent starts them.
 */
async function ownTaskPlans(url: string, fixtures: Fixtures, socketCount: number): Promise<SocketPlan[]> {
  const viewers = fixtures.viewers;
  const perViewer = new Map<Viewer, number>();
  for (let s = 0; s < socketCount; s += 1) {
    const viewer = viewers[s % viewers.length]!;
    perViewer.set(viewer, (perViewer.get(viewer) ?? 0) + SUBSCRIPTIONS_PER_SOCKET);
  }
  const created = new Map<Viewer, WatchedTask[]>();
  const queue = [...perViewer];
  // A few viewers at a time: this is set-up, not load.
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      for (let next = queue.shift(); next; next = queue.shift()) created.set(next[0], await startTasks(url, fixtures, next[0], next[1]));
    }),
  );
  const taken = new Map<Viewer, number>();
  return Array.from({ length: socketCount }, (_, s) => {
    const viewer = viewers[s % viewers.length]!;
    const from = taken.get(viewer) ?? 0;
    taken.set(viewer, from + SUBSCRIPTIONS_PER_SOCKET);
    return { viewer, tasks: created.get(viewer)!.slice(from, from + SUBSCRIPTIONS_PER_SOCKET) };
  });
}

async function startTasks(url: string, fixtures: Fixtures, viewer: Viewer, count: number): Promise<WatchedTask[]> {
  const tasks: WatchedTask[] = [];
  for (let from = 0; from < count; from += TASKS_PER_SETUP_CHUNK) {
    const inputs = Array.from({ length: Math.min(TASKS_PER_SETUP_CHUNK, count - from) }, (_, i) => ({ topic: `${fixtures.runTag} W9 ${viewer.email} #${from + i}` }));
    const { createTasks } = await queryData<{ createTasks: { id: string }[] }>(url, viewer.token, { query: CREATE_TASKS, variables: { inputs } });
    const started = await queryData<{ updateTasksStatus: { id: string; status: string; progress: number; version: string }[] }>(url, viewer.agentToken, {
      query: START,
      variables: { inputs: createTasks.map(({ id }) => ({ id, status: 'RUNNING', progress: 0 })) },
    });
    for (const task of started.updateTasksStatus) {
      if (task.status !== 'RUNNING') throw new CheckFailed(`task ${task.id} did not start: ${JSON.stringify(task)}`);
      tasks.push({ id: task.id, viewer, progress: task.progress, version: task.version });
    }
  }
  return tasks;
}

function groupByViewer<T extends RunningTask>(tasks: readonly T[]): T[][] {
  const byViewer = new Map<string, T[]>();
  for (const task of tasks) {
    const own = byViewer.get(task.viewer.id);
    if (own) own.push(task);
    else byViewer.set(task.viewer.id, [task]);
  }
  return [...byViewer.values()];
}

async function runW9(plans: readonly SocketPlan[], urls: string, durationS: number, metricsToken: string | undefined): Promise<LoopOutcome> {
  const rss = (target: string) => settledMemoryBytes(target, metricsToken);
  // Several instances: subscribers on the first, progress raised through all of them in turn.
  const url = targetsOf(urls)[0]!;
  const watched = [...new Set(plans.flatMap((plan) => plan.tasks))];
  const updatesPerS = Math.min(MAX_UPDATES_PER_S, plans.length);
  const wsUrl = url.replace(/^http/, 'ws');
  const rssBefore = await rss(url);
  const latencies = new LatencyRecorder();
  // Live values on the resubscribed sockets: their first ones may have waited for the catch-up.
  const resumedLatencies = new LatencyRecorder();
  const watches: Watch[] = [];
  const sockets: WebSocket[] = [];
  let closedEarly = 0;
  let replayed = 0;

  /**
   * A socket of the plan's viewer with a subscription per watch. Resumed, each
   * subscribes with `since` (the version of the last value it got) and what
   * predates the resubscribe is counted as replayed, not timed as a delivery.
   */
  const connect = async (plan: SocketPlan, mine: readonly Watch[], resumed: boolean) => {
    const socket = await openSocket(wsUrl, plan.viewer.token);
    const resumedAt = resumed ? Date.now() : 0;
    socket.on('close', (code) => code !== 1000 && code !== 1005 && (closedEarly += 1));
    mine.forEach((watch, i) => {
      const variables = resumed ? { id: watch.task.id, since: watch.version } : { id: watch.task.id };
      socket.send(JSON.stringify({ type: 'subscribe', id: String(i), payload: { query: SUBSCRIPTION, variables } }));
    });
    socket.on('message', (data) => {
      const message = JSON.parse(String(data)) as { type: string; id: string; payload?: { data?: { taskUpdated?: { progress: number; updatedAt: string; version: string } } } };
      const value = message.payload?.data?.taskUpdated;
      if (message.type !== 'next' || !value) return;
      const updatedAt = Date.parse(value.updatedAt);
      if (updatedAt < resumedAt) replayed += 1;
      else (resumed ? resumedLatencies : latencies).record(Date.now() - updatedAt);
      const watch = mine[Number(message.id)]!;
      if (value.progress >= watch.lastProgress) {
        watch.lastProgress = value.progress;
        watch.version = value.version;
      }
    });
    return socket;
  };

  // Open and subscribe a socket at a time: 1,000 handshakes at once would measure the accept queue.
  const mineOf = new Map<SocketPlan, Watch[]>();
  for (const plan of plans) {
    const mine = plan.tasks.map((task): Watch => ({ task, lastProgress: task.progress, version: task.version }));
    mineOf.set(plan, mine);
    watches.push(...mine);
    sockets.push(await connect(plan, mine, false));
  }
  // Subscribing is asynchronous on the server: a moment for the last ones to listen.
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  const rssSubscribed = await rss(url);

  const serverBefore = await serverCounters(urls, metricsToken);
  const benchCpuBefore = process.cpuUsage();
  // Halfway through, one socket in RECONNECT_ONE_IN drops and comes back with `since`, as a client
  // does after a network blip or an instance's restart: the updates in between must still reach it.
  const reconnected = plans.filter((_, index) => index % RECONNECT_ONE_IN === RECONNECT_ONE_IN - 1);
  const reconnecting = new Promise((resolve) => setTimeout(resolve, (durationS * 1_000) / 2)).then(async () => {
    for (const plan of reconnected) sockets[plans.indexOf(plan)]!.close(1000);
    await new Promise((resolve) => setTimeout(resolve, AWAY_MS));
    for (const plan of reconnected) sockets[plans.indexOf(plan)] = await connect(plan, mineOf.get(plan)!, true);
  });
  const { acked, updates, failed, firstFailure, elapsedS, writes } = await raiseProgress(watched, urls, updatesPerS, durationS);
  await reconnecting;
  const settleUntil = Date.now() + SETTLE_MS;
  const lost = () => watches.filter((watch) => watch.lastProgress < (acked.get(watch.task.id) ?? watch.task.progress)).length;
  while (lost() > 0 && Date.now() < settleUntil) await new Promise((resolve) => setTimeout(resolve, 100));
  const lostSubscriptions = lost();
  const benchCpu = process.cpuUsage(benchCpuBefore);
  const serverAfter = await serverCounters(urls, metricsToken);
  for (const socket of sockets) socket.close(1000);
  // CPU of the server (all its instances) and of this process (subscribers and the progress writer) over the updates and their settling.
  const serverCpuS = serverBefore && serverAfter ? serverAfter.cpuS - serverBefore.cpuS : Number.NaN;
  const executions = serverBefore && serverAfter ? serverAfter.executions - serverBefore.executions : Number.NaN;
  const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;

  // The V8 heap's share of it (garbage of the subscribes included, whatever the last GC left), the heap as
  // allocated from the system, and the Buffers outside it: what tells a live subscription from an allocator's slack.
  const perSubscriptionKbOf = (field: keyof Memory) => (rssBefore !== null && rssSubscribed !== null ? (rssSubscribed[field] - rssBefore[field]) / 1024 / watches.length : Number.NaN);
  const perSubscriptionKb = perSubscriptionKbOf('rss');
  const heapPerSubscriptionKb = perSubscriptionKbOf('heap');
  return {
    responses: latencies.count,
    durationS: elapsedS,
    latencies,
    errors: { http: 0, graphql: failed, network: closedEarly },
    firstError: closedEarly > 0 ? `${closedEarly} sockets closed by the server` : firstFailure,
    responseCache: { hits: 0, tagged: 0 },
    extra: {
      sockets: sockets.length,
      subscriptions: watches.length,
      tasksWatched: watched.length,
      updates,
      updatesPerS: updates / elapsedS,
      eventsDelivered: latencies.count + resumedLatencies.count + replayed,
      resumedP95Ms: resumedLatencies.summary().p95,
      lostSubscriptions,
      resubscribed: reconnected.reduce((sum, plan) => sum + plan.tasks.length, 0),
      replayedEvents: replayed,
      rssPerSubscriptionKb: round(perSubscriptionKb),
      heapPerSubscriptionKb: round(heapPerSubscriptionKb),
      heapTotalPerSubscriptionKb: round(perSubscriptionKbOf('heapTotal')),
      externalPerSubscriptionKb: round(perSubscriptionKbOf('external')),
      serverCpuS: round(serverCpuS),
      serverCpuMsPerUpdate: round((serverCpuS * 1_000) / updates, 3),
      serverCpuUsPerEvent: round((serverCpuS * 1e6) / (latencies.count + resumedLatencies.count + replayed), 1),
      executions,
      writeP50Ms: writes.p50,
      writeP95Ms: writes.p95,
      serverDeliveryP50Ms: round(serverQuantileMs(serverBefore, serverAfter, 0.5), 1),
      serverDeliveryP95Ms: round(serverQuantileMs(serverBefore, serverAfter, 0.95), 1),
      serverDeliveryP99Ms: round(serverQuantileMs(serverBefore, serverAfter, 0.99), 1),
      benchCpuS: round((benchCpu.user + benchCpu.system) / 1e6),
    },
    notes: [
      `${sockets.length} sockets x ${SUBSCRIPTIONS_PER_SOCKET} taskUpdated over ${watched.length} RUNNING tasks (${round(watches.length / watched.length, 1)} subscriptions per task); latency = task updatedAt (commit) to client read`,
      `updatesPerS = task progress updates sent / s, as updateTasksStatus reports of up to ${TASKS_PER_REPORT} tasks of one viewer, one in flight per viewer; the writer and the subscribers run in this process, on the same cores as the server`,
      'writeP*Ms: round trip of the progress writes (updateTasksStatus) as this process saw them',
      `halfway through, 1 socket in ${RECONNECT_ONE_IN} closes, stays away ${AWAY_MS} ms and resubscribes with since = the version of its last value (resubscribed); what it missed comes as replayedEvents (not timed) and counts in lostSubscriptions like every other; the latencies above are those of the other sockets, resumedP95Ms that of the resubscribed ones' live values`,
      'serverDelivery*Ms: the server\'s subscription_delivery_seconds (its commit to the socket write), where the latency above starts at updatedAt (the transaction\'s start) and ends when this process reads the event',
      'serverCpuS / benchCpuS: CPU seconds of the server and of this process from the first write until the last event arrived; executions = subscription_executions_total (one per event and shape)',
    ],
  };
}

function openSocket(url: string, token: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, 'graphql-transport-ws');
    socket.once('error', reject);
    socket.once('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } })));
    socket.once('message', (data) => (JSON.parse(String(data)).type === 'connection_ack' ? resolve(socket) : reject(new Error(String(data)))));
  });
}

/**
 * Raises the tasks' progress at `perSecond` updates in all, for `durationS`,
 * as agents' workers report it: updateTasksStatus with the next (up to)
 * TASKS_PER_REPORT of a viewer's tasks, one report in flight per viewer.
 */
async function raiseProgress(tasks: readonly RunningTask[], url: string, perSecond: number, durationS: number) {
  const reporters = groupByViewer(tasks).map((own) => ({ own, next: 0 }));
  const client = createGraphQLClient(Math.min(64, reporters.length));
  const acked = new Map(tasks.map((task) => [task.id, task.progress]));
  const busy = new Set<string>();
  let updates = 0;
  let failed = 0;
  let firstFailure: string | undefined;
  let next = 0;
  const startedAt = Date.now();
  const inFlight = new Set<Promise<void>>();
  const writes = new LatencyRecorder();
  const tick = 10;
  while (Date.now() - startedAt < durationS * 1_000) {
    let due = Math.floor(((Date.now() - startedAt) / 1_000) * perSecond) - updates;
    for (let tried = 0; due > 0 && tried < reporters.length; tried += 1) {
      const reporter = reporters[next++ % reporters.length]!;
      const viewer = reporter.own[0]!.viewer;
      if (busy.has(viewer.id)) continue;
      busy.add(viewer.id);
      const count = Math.min(TASKS_PER_REPORT, reporter.own.length);
      const reported = Array.from({ length: count }, (_, i) => reporter.own[(reporter.next + i) % reporter.own.length]!);
      reporter.next = (reporter.next + count) % reporter.own.length;
      updates += count;
      due -= count;
      const inputs = reported.map((task) => {
        const current = acked.get(task.id)!;
        return { id: task.id, status: 'RUNNING', progress: current + (1 - current) * 1e-4 };
      });
      const postedAt = Date.now();
      const sent = client
        .post<{ updateTasksStatus: { id: string; progress: number }[] }>(url, viewer.agentToken, { query: RAISE, variables: { inputs } })
        .then((answer) => {
          writes.record(Date.now() - postedAt);
          const rows = answer.data?.updateTasksStatus;
          if (rows) for (const row of rows) acked.set(row.id, Math.max(acked.get(row.id)!, row.progress));
          else {
            failed += count;
            firstFailure ??= `update refused: ${answer.errors?.map((error) => error.extensions?.code ?? error.message).join(', ')}`;
          }
        }, () => void (failed += count))
        .finally(() => {
          busy.delete(viewer.id);
          inFlight.delete(sent);
        });
      inFlight.add(sent);
    }
    await new Promise((resolve) => setTimeout(resolve, tick));
  }
  await Promise.all(inFlight);
  client.close();
  return { acked, updates, failed, firstFailure, elapsedS: (Date.now() - startedAt) / 1_000, writes: writes.summary() };
}

/** The server's CPU seconds and subscription executions so far (every instance's, summed); null without /metrics. */
interface ServerCounters {
  readonly cpuS: number;
  readonly executions: number;
  /** subscription_delivery_seconds_bucket: cumulative count by upper bound (s). */
  readonly buckets: ReadonlyMap<number, number>;
}

async function serverCounters(url: string, metricsToken: string | undefined): Promise<ServerCounters | null> {
  const snapshot = await scrapeMetrics(url, metricsToken);
  if (!snapshot) return null;
  const sum = (name: string) => snapshot.samples.filter((sample) => sample.name === name).reduce((total, sample) => total + sample.value, 0);
  const buckets = new Map<number, number>();
  for (const sample of snapshot.samples) {
    if (sample.name !== 'subscription_delivery_seconds_bucket') continue;
    const le = sample.labels.le === '+Inf' ? Number.POSITIVE_INFINITY : Number(sample.labels.le);
    buckets.set(le, (buckets.get(le) ?? 0) + sample.value);
  }
  return { cpuS: sum('process_cpu_seconds_total'), executions: sum('subscription_executions_total'), buckets };
}

/**
 * A quantile of the server's own delivery histogram (commit to socket write)
 * between two scrapes, in ms, interpolated within its bucket as Prometheus'
 * histogram_quantile does; NaN without samples.
 */
function serverQuantileMs(before: ServerCounters | null, after: ServerCounters | null, q: number): number {
  if (!before || !after) return Number.NaN;
  const bounds = [...after.buckets.keys()].sort((a, b) => a - b);
  const counts = bounds.map((le) => (after.buckets.get(le) ?? 0) - (before.buckets.get(le) ?? 0));
  const total = counts.at(-1) ?? 0;
  if (total === 0) return Number.NaN;
  const rank = q * total;
  const i = counts.findIndex((count) => count >= rank);
  const upper = bounds[i]!;
  const lower = i === 0 ? 0 : bounds[i - 1]!;
  if (!Number.isFinite(upper)) return lower * 1_000;
  const below = i === 0 ? 0 : counts[i - 1]!;
  return (lower + ((upper - lower) * (rank - below)) / Math.max(1, counts[i]! - below)) * 1_000;
}

/**
 * The least memory the server shows over 2 s (8 scrapes): a single scrape
 * lands before or after a collection of the subscribes' garbage, which moved
 * the figure per subscription by several KB from run to run.
 */
async function settledMemoryBytes(url: string, metricsToken: string | undefined): Promise<Memory | null> {
  let least: Memory | null = null;
  for (let i = 0; i < 8; i += 1) {
    if (i > 0) await new Promise((resolve) => setTimeout(resolve, 250));
    const now = await memoryBytes(url, metricsToken);
    if (now) least = least ? { rss: Math.min(least.rss, now.rss), heap: Math.min(least.heap, now.heap), heapTotal: Math.min(least.heapTotal, now.heapTotal), external: Math.min(least.external, now.external) } : now;
  }
  return least;
}

interface Memory {
  readonly rss: number;
  /** Used V8 heap: the live objects, and garbage not yet collected. */
  readonly heap: number;
  /** The V8 heap as allocated from the system, used or not. */
  readonly heapTotal: number;
  /** Memory of ArrayBuffers and Buffers (sockets' buffers among them), outside the V8 heap. */
  readonly external: number;
}

/** The server's resident memory and V8 heap (process_resident_memory_bytes, nodejs_heap_size_*_bytes, nodejs_external_memory_bytes). */
async function memoryBytes(url: string, metricsToken: string | undefined): Promise<Memory | null> {
  const snapshot = await scrapeMetrics(url, metricsToken);
  const value = (name: string) => snapshot?.samples.find((sample) => sample.name === name)?.value ?? Number.NaN;
  const rss = value('process_resident_memory_bytes');
  return Number.isNaN(rss) ? null : { rss, heap: value('nodejs_heap_size_used_bytes'), heapTotal: value('nodejs_heap_size_total_bytes'), external: value('nodejs_external_memory_bytes') };
}
