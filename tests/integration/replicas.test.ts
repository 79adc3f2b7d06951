// @requires initdb
// @requires pg_ctl
// @requires pg_basebackup
// @requires redis-server
import { randomUUID } from 'node:crypto';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Scope } from '../../src/auth/scopes.js';
import { createTokenIssuer } from '../../src/auth/tokens.js';
import { createCache } from '../../src/cache/create-cache.js';
import { loadConfig } from '../../src/config.js';
import { connectDatabase, type DatabaseHandle } from '../../src/db/connect.js';
import { connectReplicas, type ReadRouting } from '../../src/db/replicas/read-routing.js';
import { parseLsn } from '../../src/db/replicas/lsn.js';
import { POSITION_UNKNOWN, positionKey, WritePositions } from '../../src/db/replicas/write-positions.js';
import { SqlTracker } from '../../src/db/sql-tracker.js';
import { connectRedis } from '../../src/cache/redis-connection.js';
import { createMetrics, type Metrics } from '../../src/observability/metrics.js';
import { createSchema } from '../../src/schema.js';
import { createServer, type Server } from '../../src/server.js';
import { insertUser } from '../../src/users/user.repository.js';
import { TaskTreeDocument, TasksCreateTaskDocument, TasksPageDocument, TasksTaskByIdDocument, TasksUpdateTaskStatusDocument } from '../generated/graphql.js';
import { freePort, RedisServer } from '../helpers/redis-server.js';
import { ReplicatedPostgres } from '../../tools/servers/replicated-postgres.js';

/**
 * Read replicas against a real primary and a real streaming replica that
 * applies WAL a second late (recovery_min_apply_delay): whatever is read
 * from it without care is visibly old.
 */
const SECRET = 'test-secret-that-is-long-enough-for-hs256!';
const tokens = createTokenIssuer(SECRET);

interface Instance {
  readonly server: Server;
  readonly metrics: Metrics;
  readonly replicas: ReadRouting;
  readonly database: DatabaseHandle;
  readonly tracker: SqlTracker;
  execute<TData, TVariables>(document: TypedDocumentNode<TData, TVariables>, variables: TVariables, token: string): Promise<{ data?: TData; errors?: unknown[] }>;
  close(): Promise<void>;
}

let servers: ReplicatedPostgres;
let redis: RedisServer;
const instances: Instance[] = [];

async function startInstance(env: Record<string, string> = {}): Promise<Instance> {
  const config = loadConfig({
    NODE_ENV: 'test',
    JWT_SECRET: SECRET,
    LOG_LEVEL: 'silent',
    DATABASE_URL: servers.primaryUrl,
    DATABASE_REPLICA_URLS: servers.replicaUrl,
    REDIS_URL: redis.url,
    REPLICA_POLL_MS: '100',
    DB_POOL_SIZE: '5',
    // The loops below send thousands of cost units a second for one viewer: budgets are another suite's subject.
    RATE_LIMIT_POINTS: '1000000000',
    ...env,
  });
  const tracker = new SqlTracker();
  const logger = pino({ level: 'silent' });
  const metrics = createMetrics();
  const database = await connectDatabase(config.database, { tracker, gate: config.databaseGate });
  const replicas = await connectReplicas(config, database, { tracker, logger, metrics });
  const cache = createCache(config.cache);
  const server = await createServer({ config, database, tracker, tokens, schema: await createSchema(), logger, cache, metrics, replicas });
  await server.app.ready();
  const instance: Instance = {
    server,
    metrics,
    replicas,
    database,
    tracker,
    async execute(document, variables, token) {
      const response = await server.app.inject({
        method: 'POST',
        url: '/graphql',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        payload: JSON.stringify({ query: print(document), variables }),
      });
      return response.json();
    },
    async close() {
      await server.app.close();
      await server.apollo.stop();
      await cache.close();
      await replicas.close();
      await database.close();
    },
  };
  instances.push(instance);
  return instance;
}

async function newAgent(instance: Instance): Promise<{ id: string; token: string }> {
  const user = await insertUser(instance.database.db, { email: `${randomUUID()}@test.arya.dev`, displayName: 'Replica Test' });
  return { id: user.id, token: await tokens.sign(user.id, undefined, [Scope.AGENT]) };
}

async function counter(metrics: Metrics, name: string, labels: Record<string, string> = {}): Promise<number> {
  const metric = await metrics.registry.getSingleMetric(name)!.get();
  return metric.values.filter((value) => Object.entries(labels).every(([key, wanted]) => value.labels[key] === wanted)).reduce((sum, value) => sum + value.value, 0);
}

/** Waits for a condition the servers reach by themselves (replay, a poll); fails past `timeoutMs`. */
async function until(condition: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Until the replica, as `instance` polls it, has replayed everything the primary holds now. */
async function replicaCaughtUp(instance: Instance): Promise<void> {
  const [row] = await servers.onPrimary<{ lsn: string }>('select pg_current_wal_lsn()::text as lsn');
  const target = parseLsn(row!.lsn);
  await until(() => {
    const [state] = instance.replicas.states();
    return state!.inRotation && state!.replayLsn !== undefined && state!.replayLsn >= target;
  });
}

const replicaName = () => instances[0]!.replicas.states()[0]!.name;

beforeAll(async () => {
  [servers, redis] = await Promise.all([ReplicatedPostgres.start({ applyDelayMs: 1_000 }), RedisServer.start()]);
}, 120_000);

afterAll(async () => {
  for (const instance of instances) await instance.close();
  await redis?.stop();
  await servers?.destroy();
});

describe('write positions in Redis', () => {
  it("keeps a viewer's later position whichever instance records last, under the viewer's hash tag, for the TTL", async () => {
    const clients = [0, 1].map(() => connectRedis({ urls: [redis.url], cluster: false, commandTimeoutMs: 1_000 }));
    // Fail-fast connections refuse commands until connected (and then the reads go to the primary).
    await Promise.all(clients.map((client) => new Promise((ready) => client.once('ready', ready))));
    const [one, two] = clients.map((client) => new WritePositions(30_000, client));
    const viewer = randomUUID();
    await one!.record(viewer, 500n);
    await two!.record(viewer, 400n);
    // The other instance has no record of its own: what it answers is Redis's.
    expect(await new WritePositions(30_000, clients[0]).required(viewer)).toBe(500n);
    const inspect = redis.client();
    expect(positionKey(viewer)).toBe(`replica-lsn:v1:{${viewer}}`);
    expect(await inspect.get(positionKey(viewer))).toBe('00000000000001F4');
    const ttl = await inspect.pttl(positionKey(viewer));
    expect(ttl).toBeGreaterThan(29_000);
    expect(ttl).toBeLessThanOrEqual(30_000);
    inspect.disconnect();
    for (const client of clients) client.disconnect();
  });

  it('answers "unknown" when Redis cannot be read, which sends the read to the primary', async () => {
    const client = connectRedis({ urls: [`redis://127.0.0.1:${await freePort()}`], cluster: false, commandTimeoutMs: 200 });
    const positions = new WritePositions(30_000, client);
    expect(await positions.required(randomUUID())).toBe(POSITION_UNKNOWN);
    client.disconnect();
  });
});

describe('read replicas with read-your-writes', () => {
  it('answers a write then an immediate read fresh, 100 of 100, through the same instance and through another', async () => {
    const [a, b] = [await startInstance({ CACHE_MODE: 'off' }), await startInstance({ CACHE_MODE: 'off' })];
    const agent = await newAgent(a);
    const created = await a.execute(TasksCreateTaskDocument, { input: { topic: 'fresh reads' } }, agent.token);
    const id = created.data!.createTask.id;
    const primaryBefore = (await counter(a.metrics, 'db_reads_on_primary_total', { reason: 'recent_write' })) + (await counter(b.metrics, 'db_reads_on_primary_total', { reason: 'recent_write' }));

    let fresh = 0;
    for (let i = 1; i <= 100; i += 1) {
      const progress = i / 100;
      const written = await a.execute(TasksUpdateTaskStatusDocument, { input: { id, status: 'RUNNING', progress } }, agent.token);
      expect(written.errors).toBeUndefined();
      // Alternate which instance reads first: neither may have seen this write before.
      const readers = i % 2 === 0 ? [a, b] : [b, a];
      const reads = await Promise.all(readers.map((reader) => reader.execute(TasksTaskByIdDocument, { id }, agent.token)));
      if (reads.every((read) => read.data?.task?.progress === progress)) fresh += 1;
    }

    expect(fresh).toBe(100);
    // The replica was a second behind all along: those reads went to the primary, for the recent write.
    const primaryAfter = (await counter(a.metrics, 'db_reads_on_primary_total', { reason: 'recent_write' })) + (await counter(b.metrics, 'db_reads_on_primary_total', { reason: 'recent_write' }));
    expect(primaryAfter - primaryBefore).toBeGreaterThanOrEqual(200);
  }, 120_000);

  it('serves the reads of a viewer without a recent write from the replica', async () => {
    const a = instances[0] ?? (await startInstance({ CACHE_MODE: 'off' }));
    const agent = await newAgent(a);
    const created = await a.execute(TasksCreateTaskDocument, { input: { topic: 'read from the replica' } }, agent.token);
    const id = created.data!.createTask.id;
    await replicaCaughtUp(a);

    const servedBefore = await counter(a.metrics, 'db_replica_statements_total', { replica: replicaName() });
    const onPrimaryBefore = await counter(a.metrics, 'db_reads_on_primary_total');
    let sent = 0;
    const unsubscribe = a.tracker.subscribe(() => (sent += 1));
    for (let i = 0; i < 10; i += 1) {
      const read = await a.execute(TasksTaskByIdDocument, { id }, agent.token);
      expect(read.data?.task?.topic).toBe('read from the replica');
    }
    unsubscribe();
    // task(id) with its options: two statements each; the replica answered every one, the primary none.
    expect(sent).toBe(20);
    expect((await counter(a.metrics, 'db_replica_statements_total', { replica: replicaName() })) - servedBefore).toBe(20);
    expect((await counter(a.metrics, 'db_reads_on_primary_total')) - onPrimaryBefore).toBe(0);

    // And it is the replica: a row written on the primary behind the API's back (no
    // recorded position) is not there for this viewer until the replica applies it.
    await servers.onPrimary(`update tasks set topic = 'changed behind the API' where id = $1`, [id]);
    const soon = await a.execute(TasksTaskByIdDocument, { id }, agent.token);
    expect(soon.data?.task?.topic).toBe('read from the replica');
    await until(async () => (await a.execute(TasksTaskByIdDocument, { id }, agent.token)).data?.task?.topic === 'changed behind the API');
  }, 60_000);

  it('serves a whole task tree from the replica, its nested pages (raw SQL) too', async () => {
    const a = instances[0] ?? (await startInstance({ CACHE_MODE: 'off' }));
    const agent = await newAgent(a);
    await a.execute(TasksCreateTaskDocument, { input: { topic: 'a tree read from the replica' } }, agent.token);
    await replicaCaughtUp(a);

    const servedBefore = await counter(a.metrics, 'db_replica_statements_total', { replica: replicaName() });
    const onPrimaryBefore = await counter(a.metrics, 'db_reads_on_primary_total');
    const statements: string[] = [];
    const unsubscribe = a.tracker.subscribe((event) => statements.push(event.sql));
    const tree = await a.execute(TaskTreeDocument, { first: 5, storyboards: 3 }, agent.token);
    unsubscribe();
    expect(tree.errors).toBeUndefined();
    expect(tree.data!.tasks.nodes.map((task) => task.topic)).toEqual(['a tree read from the replica']);
    // The page, the latest script, the scripts and the storyboards: kysely-replication sent raw
    // statements to the primary until they were marked as reads (src/db/replicas/read-mark.ts).
    expect(statements.some((text) => /cross join lateral/.test(text))).toBe(true);
    expect((await counter(a.metrics, 'db_replica_statements_total', { replica: replicaName() })) - servedBefore).toBe(statements.length);
    expect((await counter(a.metrics, 'db_reads_on_primary_total')) - onPrimaryBefore).toBe(0);
  }, 60_000);

  it("keeps the cache's fences: a list read on another instance after a write holds the write, 30 of 30", async () => {
    const [a, b] = [await startInstance(), await startInstance()];
    const agent = await newAgent(a);
    const ids: string[] = [];
    for (let i = 0; i < 30; i += 1) {
      ids.push((await a.execute(TasksCreateTaskDocument, { input: { topic: `fenced ${i}` } }, agent.token)).data!.createTask.id);
    }
    await replicaCaughtUp(b);
    const page = (reader: Instance, status: 'PENDING' | 'RUNNING') =>
      reader.execute(TasksPageDocument, { first: 50, filter: { status } }, agent.token).then((r) => {
        if (!r.data) throw new Error(JSON.stringify(r.errors));
        return r.data.tasks.nodes.map((node) => node.id);
      });
    // Both lists cached on both instances, as read from the replica.
    for (const reader of [a, b]) {
      expect((await page(reader, 'PENDING')).length).toBe(30);
      expect(await page(reader, 'RUNNING')).toEqual([]);
    }

    let held = 0;
    for (const [i, id] of ids.entries()) {
      await a.execute(TasksUpdateTaskStatusDocument, { input: { id, status: 'RUNNING' } }, agent.token);
      const [running, pending] = await Promise.all([page(b, 'RUNNING'), page(b, 'PENDING')]);
      if (running.length === i + 1 && running.includes(id) && !pending.includes(id)) held += 1;
    }
    expect(held).toBe(30);
  }, 120_000);

  it('fails no request when the replica stops mid-traffic, and takes it back when it returns', async () => {
    const a = await startInstance({ CACHE_MODE: 'off' });
    const reader = await newAgent(a);
    const writer = await newAgent(a);
    const readId = (await a.execute(TasksCreateTaskDocument, { input: { topic: 'read through an outage' } }, reader.token)).data!.createTask.id;
    const writeId = (await a.execute(TasksCreateTaskDocument, { input: { topic: 'written through an outage' } }, writer.token)).data!.createTask.id;
    await replicaCaughtUp(a);

    const errors: unknown[] = [];
    let reads = 0;
    let stop = false;
    const traffic = (async () => {
      for (let i = 1; !stop; i += 1) {
        const [read, write] = await Promise.all([
          a.execute(TasksTaskByIdDocument, { id: readId }, reader.token),
          a.execute(TasksUpdateTaskStatusDocument, { input: { id: writeId, status: 'RUNNING', progress: Math.min(1, i / 10_000) } }, writer.token),
        ]);
        reads += 1;
        if (read.errors || read.data?.task?.id !== readId) errors.push(read.errors ?? read.data);
        if (write.errors) errors.push(write.errors);
      }
    })();
    await until(() => reads >= 20);
    await servers.stopReplica();
    await until(() => a.replicas.states()[0]!.inRotation === false);
    const readsWhileDown = reads;
    await until(() => reads >= readsWhileDown + 20);
    await servers.startReplica();
    await until(() => a.replicas.states()[0]!.inRotation, 30_000);
    stop = true;
    await traffic;

    expect(errors).toEqual([]);
    expect(await counter(a.metrics, 'db_reads_on_primary_total', { reason: 'no_replica' })).toBeGreaterThan(0);
    // Back in rotation, it serves again.
    const served = await counter(a.metrics, 'db_replica_statements_total', { replica: replicaName() });
    await a.execute(TasksTaskByIdDocument, { id: readId }, reader.token);
    expect(await counter(a.metrics, 'db_replica_statements_total', { replica: replicaName() })).toBe(served + 2);
  }, 120_000);

  it('takes a replica further behind than REPLICA_MAX_LAG_MS out of rotation while the primary writes, and back once it catches up', async () => {
    // The replica applies a second late; a bound of 400 ms puts it out while writes flow.
    const a = await startInstance({ CACHE_MODE: 'off', REPLICA_MAX_LAG_MS: '400', READ_YOUR_WRITES_TTL_S: '5' });
    await servers.onPrimary('create table if not exists lag_probe (x int)');
    await replicaCaughtUp(a);
    // Writes on the primary until the instance has seen the replica out (a poll each 100 ms).
    let sawOut = false;
    for (let i = 0; i < 200 && !sawOut; i += 1) {
      await servers.onPrimary('insert into lag_probe values (1)');
      sawOut = !a.replicas.states()[0]!.inRotation;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(sawOut).toBe(true);
    await until(() => a.replicas.states()[0]!.inRotation);
    expect(a.replicas.states()[0]!.lagSeconds).toBeLessThanOrEqual(0.4);
  }, 60_000);
});
