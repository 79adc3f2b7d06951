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
const RAISE = 'mutation($input: UpdateTaskStatusInput!) { updateTaskStatus(input: $input) { id progress } }';

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
  const rss = (target: string) => residentBytes(target, metricsToken);
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

  const { acked, updates, failed, firstFailure, elapsedS } = await raiseProgress(tasks, urls, updatesPerS, durationS);
  const settleUntil = Date.now() + SETTLE_MS;
  const lost = () => watches.filter((watch) => watch.lastProgress < (acked.get(watch.task.id) ?? watch.task.progress)).length;
  while (lost() > 0 && Date.now() < settleUntil) await new Promise((resolve) => setTimeout(resolve, 100));
  const lostSubscriptions = lost();
  for (const socket of sockets) socket.close(1000);

  const perSubscriptionKb = rssBefore !== null && rssSubscribed !== null ? (rssSubscribed - rssBefore) / 1024 / watches.length : Number.NaN;
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
      rssPerSubscriptionKb: Math.round(perSubscriptionKb * 100) / 100,
    },
    notes: [`${sockets.length} sockets x ${SUBSCRIPTIONS_PER_SOCKET} taskUpdated over ${tasks.length} RUNNING tasks; latency = task updatedAt (commit) to client read`],
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

/** Raises each task's progress, one update in flight per task, at `perSecond` in all, for `durationS`. */
async function raiseProgress(tasks: readonly RunningTask[], url: string, perSecond: number, durationS: number) {
  const client = createGraphQLClient(Math.min(64, tasks.length));
  const acked = new Map(tasks.map((task) => [task.id, task.progress]));
  const busy = new Set<string>();
  let updates = 0;
  let failed = 0;
  let firstFailure: string | undefined;
  let next = 0;
  const startedAt = Date.now();
  const inFlight = new Set<Promise<void>>();
  const tick = 10;
  while (Date.now() - startedAt < durationS * 1_000) {
    const due = Math.floor(((Date.now() - startedAt) / 1_000) * perSecond) - updates;
    for (let i = 0; i < due; i += 1) {
      const task = tasks[next++ % tasks.length]!;
      if (busy.has(task.id)) continue;
      busy.add(task.id);
      updates += 1;
      const current = acked.get(task.id)!;
      const progress = current + (1 - current) * 1e-4;
      const sent = client
        .post<{ updateTaskStatus: { progress: number } }>(url, task.viewer.agentToken, { query: RAISE, variables: { input: { id: task.id, status: 'RUNNING', progress } } })
        .then((answer) => {
          if (answer.data?.updateTaskStatus) acked.set(task.id, Math.max(acked.get(task.id)!, answer.data.updateTaskStatus.progress));
          else {
            failed += 1;
            firstFailure ??= `update refused: ${answer.errors?.map((error) => error.extensions?.code ?? error.message).join(', ')}`;
          }
        }, () => void (failed += 1))
        .finally(() => {
          busy.delete(task.id);
          inFlight.delete(sent);
        });
      inFlight.add(sent);
    }
    await new Promise((resolve) => setTimeout(resolve, tick));
  }
  await Promise.all(inFlight);
  client.close();
  return { acked, updates, failed, firstFailure, elapsedS: (Date.now() - startedAt) / 1_000 };
}

async function residentBytes(url: string, metricsToken: string | undefined): Promise<number | null> {
  const snapshot = await scrapeMetrics(url, metricsToken);
  return snapshot?.samples.find((sample) => sample.name === 'process_resident_memory_bytes')?.value ?? null;
}
