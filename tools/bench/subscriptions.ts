import WebSocket from 'ws';
import type { RunningTask } from './fixtures.js';
import { createGraphQLClient, queryData } from './graphql-client.js';
import { scrapeMetrics } from './metrics.js';
import { LatencyRecorder } from './stats.js';
import { targetsOf } from './targets.js';
import { CheckFailed, type LoopOutcome, type Workload } from './workload.js';

/**
 * W9: many subscribers watching progress. Sockets of the bench viewers, each
 * with SUBSCRIPTIONS_PER_SOCKET taskUpdated subscriptions on its viewer's
 * RUNNING tasks, while agents raise those tasks' progress at UPDATES_PER_S in
 * all. Measured: delivery latency (the task's updatedAt, its commit, to the
 * client reading the event: same machine, same clock), events lost (a
 * subscription that did not end on the last acknowledged progress of its
 * task; coalescing may skip intermediate values, never the last), and the
 * server's RSS per subscription.
 */
const SUBSCRIPTIONS_PER_SOCKET = 10;
/** At the default 32 connections: 1,000 sockets, 10,000 subscriptions, 1,000 updates/s. A smoke run (2 connections) scales down. */
const SOCKETS_PER_CONNECTION = 32;
const MAX_SOCKETS = 1_000;
const MAX_UPDATES_PER_S = 1_000;
const SETTLE_MS = 10_000;
const SUBSCRIPTION = 'subscription($id: ID!, $since: String) { taskUpdated(id: $id, since: $since) { id progress updatedAt version } }';
const PROGRESS = 'query($id: ID!) { task(id: $id) { status progress } }';
const RAISE = 'mutation($inputs: [UpdateTaskStatusInput!]!) { updateTasksStatus(inputs: $inputs) { id progress } }';

interface Watch {
  readonly task: RunningTask;
  lastProgress: number;
}

export const subscriptionsWorkload: Workload = {
  id: 'W9',
  title: 'subscribers of progress',
  async prepare({ url, fixtures, metricsToken }) {
    if (fixtures.runningTasks.length === 0) throw new CheckFailed('the viewers have no RUNNING task to watch');
    // Progress as it is now: W8 raised it since the fixtures were read, and progress never goes down.
    const tasks = await Promise.all(
      fixtures.runningTasks.map(async (task) => {
        const answer = await queryData<{ task: { status: string; progress: number } | null }>(targetsOf(url)[0]!, task.viewer.token, { query: PROGRESS, variables: { id: task.id } });
        if (answer.task?.status !== 'RUNNING') throw new CheckFailed(`task(${task.id}) is ${JSON.stringify(answer.task)}, not RUNNING`);
        return { ...task, progress: answer.task.progress };
      }),
    );
    return [{ kind: 'loop', key: 'W9', title: this.title, notes: [], run: ({ url: target, connections, durationS }) => runW9(tasks, target, connections, durationS, metricsToken) }];
  },
};

async function runW9(tasks: readonly RunningTask[], urls: string, connections: number, durationS: number, metricsToken: string | undefined): Promise<LoopOutcome> {
  const rss = (target: string) => settledMemoryBytes(target, metricsToken);
  // Several instances: subscribers on the first, progress raised through all of them in turn.
  const url = targetsOf(urls)[0]!;
  const socketCount = Math.min(MAX_SOCKETS, connections * SOCKETS_PER_CONNECTION);
  const updatesPerS = Math.min(MAX_UPDATES_PER_S, connections * SOCKETS_PER_CONNECTION);
  const wsUrl = url.replace(/^http/, 'ws');
  const rssBefore = await rss(url);
  const latencies = new LatencyRecorder();
  const watches: Watch[] = [];
  const sockets: WebSocket[] = [];
  const byViewer = new Map<string, RunningTask[]>();
  for (const task of tasks) byViewer.set(task.viewer.id, [...(byViewer.get(task.viewer.id) ?? []), task]);
  const viewers = [...byViewer.values()];
  let closedEarly = 0;

  // Open and subscribe, a socket at a time per viewer group: 1,000 handshakes at once would measure the accept queue.
  for (let s = 0; s < socketCount; s += 1) {
    const own = viewers[s % viewers.length]!;
    const socket = await openSocket(wsUrl, own[0]!.viewer.token);
    socket.on('close', (code) => code !== 1000 && code !== 1005 && (closedEarly += 1));
    sockets.push(socket);
    const mine: Watch[] = [];
    for (let i = 0; i < SUBSCRIPTIONS_PER_SOCKET; i += 1) {
      const watch: Watch = { task: own[i % own.length]!, lastProgress: own[i % own.length]!.progress };
      mine.push(watch);
      watches.push(watch);
      socket.send(JSON.stringify({ type: 'subscribe', id: String(i), payload: { query: SUBSCRIPTION, variables: { id: watch.task.id } } }));
    }
    socket.on('message', (data) => {
      const message = JSON.parse(String(data)) as { type: string; id: string; payload?: { data?: { taskUpdated?: { progress: number; updatedAt: string } } } };
      const value = message.payload?.data?.taskUpdated;
      if (message.type !== 'next' || !value) return;
      latencies.record(Date.now() - Date.parse(value.updatedAt));
      const watch = mine[Number(message.id)]!;
      watch.lastProgress = Math.max(watch.lastProgress, value.progress);
    });
  }
  // Subscribing is asynchronous on the server: a moment for the last ones to listen.
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  const rssSubscribed = await rss(url);

  const serverBefore = await serverCounters(urls, metricsToken);
  const benchCpuBefore = process.cpuUsage();
  const { acked, updates, failed, firstFailure, elapsedS, writes } = await raiseProgress(tasks, urls, updatesPerS, durationS);
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

  const perSubscriptionKb = rssBefore !== null && rssSubscribed !== null ? (rssSubscribed.rss - rssBefore.rss) / 1024 / watches.length : Number.NaN;
  // The V8 heap's share of it (garbage of the subscribes included, whatever the last GC left).
  const heapPerSubscriptionKb = rssBefore !== null && rssSubscribed !== null ? (rssSubscribed.heap - rssBefore.heap) / 1024 / watches.length : Number.NaN;
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
      updates,
      updatesPerS: updates / elapsedS,
      eventsDelivered: latencies.count,
      lostSubscriptions,
      rssPerSubscriptionKb: round(perSubscriptionKb),
      heapPerSubscriptionKb: round(heapPerSubscriptionKb),
      serverCpuS: round(serverCpuS),
      serverCpuMsPerUpdate: round((serverCpuS * 1_000) / updates, 3),
      serverCpuUsPerEvent: round((serverCpuS * 1e6) / latencies.count, 1),
      executions,
      writeP50Ms: writes.p50,
      writeP95Ms: writes.p95,
      serverDeliveryP50Ms: round(serverQuantileMs(serverBefore, serverAfter, 0.5), 1),
      serverDeliveryP95Ms: round(serverQuantileMs(serverBefore, serverAfter, 0.95), 1),
      serverDeliveryP99Ms: round(serverQuantileMs(serverBefore, serverAfter, 0.99), 1),
      benchCpuS: round((benchCpu.user + benchCpu.system) / 1e6),
    },
    notes: [
      `${sockets.length} sockets x ${SUBSCRIPTIONS_PER_SOCKET} taskUpdated over ${tasks.length} RUNNING tasks; latency = task updatedAt (commit) to client read`,
      'updatesPerS = task progress updates sent / s, as one updateTasksStatus per viewer for its RUNNING tasks, one in flight per viewer; the writer and the subscribers run in this process, on the same cores as the server',
      'writeP*Ms: round trip of the progress writes (updateTasksStatus) as this process saw them',
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
 * as agents' workers report it: one updateTasksStatus per viewer for all its
 * RUNNING tasks (2 at bench scale), one report in flight per viewer. The
 * writes are what a worker would send; batching them halves the requests
 * (and transactions) behind the same number of events.
 */
async function raiseProgress(tasks: readonly RunningTask[], url: string, perSecond: number, durationS: number) {
  const byViewer = new Map<string, RunningTask[]>();
  for (const task of tasks) byViewer.set(task.viewer.id, [...(byViewer.get(task.viewer.id) ?? []), task]);
  const reporters = [...byViewer.values()];
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
      const own = reporters[next++ % reporters.length]!;
      const viewer = own[0]!.viewer;
      if (busy.has(viewer.id)) continue;
      busy.add(viewer.id);
      updates += own.length;
      due -= own.length;
      const inputs = own.map((task) => {
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
            failed += own.length;
            firstFailure ??= `update refused: ${answer.errors?.map((error) => error.extensions?.code ?? error.message).join(', ')}`;
          }
        }, () => void (failed += own.length))
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
async function settledMemoryBytes(url: string, metricsToken: string | undefined): Promise<{ rss: number; heap: number } | null> {
  let least: { rss: number; heap: number } | null = null;
  for (let i = 0; i < 8; i += 1) {
    if (i > 0) await new Promise((resolve) => setTimeout(resolve, 250));
    const now = await memoryBytes(url, metricsToken);
    if (now) least = least ? { rss: Math.min(least.rss, now.rss), heap: Math.min(least.heap, now.heap) } : now;
  }
  return least;
}

/** The server's resident memory and used V8 heap (process_resident_memory_bytes, nodejs_heap_size_used_bytes). */
async function memoryBytes(url: string, metricsToken: string | undefined): Promise<{ rss: number; heap: number } | null> {
  const snapshot = await scrapeMetrics(url, metricsToken);
  const value = (name: string) => snapshot?.samples.find((sample) => sample.name === name)?.value;
  const rss = value('process_resident_memory_bytes');
  return rss === undefined ? null : { rss, heap: value('nodejs_heap_size_used_bytes') ?? Number.NaN };
}
