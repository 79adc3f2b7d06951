import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTasksCommand, updateStatusCommand, type Command } from '../../tools/batch/commands.js';
import type { ResultRecord } from '../../tools/batch/results.js';
import { type RunOptions, runBatch } from '../../tools/batch/run.js';
import { exitCodeOf } from '../../tools/batch/summary.js';
import { createTaskTree } from '../helpers/factories.js';
import { type ProxyDecision, type TestProxy, startProxy } from '../helpers/http-proxy.js';
import { type TestApi, startTestApi } from '../helpers/test-api.js';

/**
 * The batch client (tools/batch/) against the real API listening on a
 * loopback port, often through a proxy that misbehaves on purpose. Kills and
 * concurrent copies use the real process (`npm run batch` runs the same
 * main.ts); the rest calls runBatch in-process, which main.ts only wraps.
 */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const FORWARD: ProxyDecision = { forward: true };
const quietProgress = () => ({ update() {}, note() {}, finish() {} });

let api: TestApi;
let origin: string;
let folder: string;
const proxies: TestProxy[] = [];
const children: ChildProcess[] = [];

beforeAll(async () => {
  api = await startTestApi();
  origin = await api.server.app.listen({ host: '127.0.0.1', port: 0 });
  folder = await mkdtemp(path.join(tmpdir(), 'arya-batch-'));
});
afterAll(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await Promise.all(proxies.map((proxy) => proxy.close()));
  await api?.close();
  await rm(folder, { recursive: true, force: true });
});

async function proxy(decide: (request: { n: number; body: string }) => ProxyDecision | Promise<ProxyDecision> = () => FORWARD) {
  const started = await startProxy(origin, decide);
  proxies.push(started);
  return started;
}

async function inputFile(lines: readonly unknown[]): Promise<string> {
  const file = path.join(folder, `${randomUUID()}.jsonl`);
  await writeFile(file, lines.map((line) => (typeof line === 'string' ? line : JSON.stringify(line))).join('\n') + '\n');
  return file;
}

const topics = (count: number) => Array.from({ length: count }, (_, i) => ({ topic: `Imported ${i + 1}`, priority: i % 2 ? 'HIGH' : 'LOW' }));

function run<T>(command: Command<T>, file: string, url: string, token: string, options: Partial<RunOptions<T>> = {}) {
  return runBatch({
    command,
    file,
    out: `${file}.results.jsonl`,
    url,
    token,
    concurrency: 2,
    chunkSize: 500,
    retries: 3,
    timeoutMs: 30_000,
    retryFailed: false,
    stop: new AbortController().signal,
    progress: quietProgress,
    ...options,
  });
}

/** `npm run batch -- …` as a process of its own. */
function spawnClient(args: readonly string[], token: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'tools/batch/main.ts', ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, ARYA_TOKEN: token },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<{ code: number | null; output: string }>((resolve) => child.once('exit', (code) => resolve({ code, output })));
  return { child, exited };
}

/** Every record physically in the results file (torn lines left out). */
async function recordsIn(file: string): Promise<ResultRecord[]> {
  const text = await readFile(`${file}.results.jsonl`, 'utf8').catch(() => '');
  return text.split('\n').flatMap((line) => {
    try {
      return [JSON.parse(line) as ResultRecord];
    } catch {
      return [];
    }
  });
}

async function taskIdsOf(userId: string): Promise<string[]> {
  const rows = await api.db.selectFrom('tasks').select('id').where('userId', '=', userId).execute();
  return rows.map((row) => row.id);
}

async function until<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const requestKey = (body: string) => (JSON.parse(body) as { variables: { idempotencyKey?: string } }).variables.idempotencyKey;
const requestSize = (body: string) => (JSON.parse(body) as { variables: { inputs: unknown[] } }).variables.inputs.length;

describe('npm run batch -- create-tasks', () => {
  it('killed (SIGKILL) in the middle of a 5,000-line import and run again, creates each task once and records one result per line', async () => {
    const user = await api.createUser();
    const file = await inputFile(topics(5_000));
    // Chunks 1-3 answered; chunk 4 reaches the API (its tasks are created) but its answer never
    // comes back; nothing after it is forwarded. The kill then lands between two writes.
    let chunkFourCreated = false;
    const never = new Promise<never>(() => {});
    const heldProxy = await proxy((request) => {
      if (request.n <= 3) return FORWARD;
      if (request.n > 4) return never;
      return { forward: true, release: never, onAnswered: () => (chunkFourCreated = true) };
    });
    const first = spawnClient(['create-tasks', file, '--url', heldProxy.url, '--chunk-size', '500', '--concurrency', '2'], user.token);
    await until('chunk 4 created, chunks 1-3 recorded', async () => (chunkFourCreated && (await recordsIn(file)).length === 1_500 ? true : undefined));
    first.child.kill('SIGKILL');
    await first.exited;
    // The created-but-unrecorded chunk is what a kill leaves behind.
    expect((await taskIdsOf(user.id)).length).toBeGreaterThanOrEqual(2_000);
    expect(await recordsIn(file)).toHaveLength(1_500);

    const again = await spawnClient(['create-tasks', file, '--url', (await proxy()).url], user.token).exited;

    expect(again.code).toBe(0);
    expect(again.output).toMatch(/skipped as already done: 1,500/);
    const records = await recordsIn(file);
    const taskIds = await taskIdsOf(user.id);
    expect(taskIds).toHaveLength(5_000);
    expect(records).toHaveLength(5_000);
    expect(new Set(records.map((record) => record.line)).size).toBe(5_000);
    expect(records.every((record) => record.id !== undefined && record.error === undefined)).toBe(true);
    expect(new Set(records.map((record) => record.id))).toEqual(new Set(taskIds));
  }, 120_000);

  it('records bad lines with their line number and reason, never sends them, and creates the good ones', async () => {
    const user = await api.createUser();
    const lines = [
      ...topics(3),
      'not json',
      { topic: '   ' },
      { topic: 'x'.repeat(501) },
      { topic: 'Soon', priority: 'SOON' },
      { topic: 'Colour', colour: 'red' },
      { topic: 'List options', options: [1, 2] },
      '["an", "array"]',
      ...topics(2),
    ];
    const file = await inputFile(lines);
    const watched = await proxy();

    const summary = await run(createTasksCommand, file, watched.url, user.token);

    expect(exitCodeOf(summary)).toBe(1);
    expect(summary).toMatchObject({ lines: 12, succeeded: 5, changedNow: 5, failedByCode: { BAD_USER_INPUT: 7 }, notDone: 0 });
    const records = await recordsIn(file);
    const failedLines = records.filter((record) => record.error).map((record) => record.line);
    expect(failedLines.sort((a, b) => a - b)).toEqual([4, 5, 6, 7, 8, 9, 10]);
    expect(records.filter((record) => record.error).every((record) => record.error!.code === 'BAD_USER_INPUT' && record.error!.message.length > 0)).toBe(true);
    expect(watched.requests.map((request) => requestSize(request.body))).toEqual([5]);
    expect(await taskIdsOf(user.id)).toHaveLength(5);

    // Run again: every line has its result, nothing is sent, the failures still count.
    const again = await run(createTasksCommand, file, watched.url, user.token);
    expect(again).toMatchObject({ skipped: 12, changedNow: 0, failedByCode: { BAD_USER_INPUT: 7 } });
    expect(exitCodeOf(again)).toBe(1);
    expect(watched.requests).toHaveLength(1);
  });

  it('waits out a server answering 503 with Retry-After, then imports everything', async () => {
    const user = await api.createUser();
    const file = await inputFile(topics(300));
    const flaky = await proxy((request) =>
      request.n <= 2 ? { answer: { status: 503, headers: { 'retry-after': '1' } } } : FORWARD,
    );

    const summary = await run(createTasksCommand, file, flaky.url, user.token, { chunkSize: 100, concurrency: 1 });

    expect(exitCodeOf(summary)).toBe(0);
    expect(summary).toMatchObject({ changedNow: 300, notDone: 0 });
    expect(await taskIdsOf(user.id)).toHaveLength(300);
    const [first, second, third] = flaky.requests;
    // The first chunk, three times: each retry after at least the second it was told.
    expect([first, second, third].map((request) => requestKey(request!.body))).toEqual(Array(3).fill(requestKey(first!.body)));
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(990);
    expect(third!.at - second!.at).toBeGreaterThanOrEqual(990);
  });

  it('stops when the retries are spent, recording nothing for the lines it could not send (exit 3)', async () => {
    const user = await api.createUser();
    const file = await inputFile(topics(10));
    const down = await proxy(() => ({ answer: { status: 503, headers: { 'retry-after': '0' } } }));

    const summary = await run(createTasksCommand, file, down.url, user.token, { retries: 2 });

    expect(exitCodeOf(summary)).toBe(3);
    expect(summary).toMatchObject({ notDone: 10, stoppedBy: { kind: 'unavailable' } });
    expect(down.requests).toHaveLength(3);
    expect(await recordsIn(file)).toEqual([]);
  });

  it('run twice at once on the same file, creates each task once', async () => {
    const user = await api.createUser();
    const file = await inputFile(topics(2_000));
    // Neither copy's first request goes on before both have sent theirs: they race for the same chunk.
    let bothSent: () => void = () => {};
    const gate = new Promise<void>((resolve) => (bothSent = resolve));
    const shared = await proxy(async (request) => {
      if (request.n === 2) bothSent();
      await gate;
      return FORWARD;
    });
    const args = ['create-tasks', file, '--url', shared.url, '--chunk-size', '250', '--concurrency', '1'];

    const [one, two] = await Promise.all([spawnClient(args, user.token).exited, spawnClient(args, user.token).exited]);

    expect([one.code, two.code]).toEqual([0, 0]);
    const taskIds = await taskIdsOf(user.id);
    expect(taskIds).toHaveLength(2_000);
    const [firstKey, secondKey] = shared.requests.slice(0, 2).map((request) => requestKey(request.body));
    expect(firstKey).toBe(secondKey);
    // Both copies may record a line; their records agree.
    const idsByLine = new Map<number, Set<string>>();
    for (const record of await recordsIn(file)) idsByLine.set(record.line, (idsByLine.get(record.line) ?? new Set()).add(record.id!));
    expect(idsByLine.size).toBe(2_000);
    expect([...idsByLine.values()].every((ids) => ids.size === 1)).toBe(true);
    expect(new Set([...idsByLine.values()].flatMap((ids) => [...ids]))).toEqual(new Set(taskIds));
  }, 120_000);

  it('on Ctrl-C finishes the request in flight, records it and starts no other (exit 3)', async () => {
    const user = await api.createUser();
    const file = await inputFile(topics(500));
    let release: () => void = () => {};
    let secondArrived = false;
    const slow = await proxy((request) => {
      if (request.n !== 2) return FORWARD;
      secondArrived = true;
      return { forward: true, release: new Promise<void>((resolve) => (release = resolve)) };
    });
    const client = spawnClient(['create-tasks', file, '--url', slow.url, '--chunk-size', '100', '--concurrency', '1'], user.token);
    await until('the second request', () => (secondArrived ? true : undefined));

    client.child.kill('SIGINT');
    await new Promise((resolve) => setTimeout(resolve, 300));
    release();
    const { code, output } = await client.exited;

    expect(code).toBe(3);
    expect(output).toMatch(/stopped by Ctrl-C/);
    expect(slow.requests).toHaveLength(2);
    expect((await recordsIn(file)).map((record) => record.line).sort((a, b) => a - b)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    expect(await taskIdsOf(user.id)).toHaveLength(200);
  }, 60_000);
});

describe('npm run batch -- update-status', () => {
  it('records each line: updated, refused by code, refused locally; a task named twice is updated in file order', async () => {
    const user = await api.createUser();
    const [first, second, third] = await createTaskTree(api.db, user.id, { tasks: 3 });
    const file = await inputFile([
      { id: first, status: 'RUNNING', progress: 0.5 },
      { id: second, status: 'COMPLETED' },
      { id: randomUUID(), status: 'RUNNING' },
      { id: 'not-a-uuid', status: 'RUNNING' },
      { id: first!.toUpperCase(), status: 'COMPLETED' },
      { id: third, status: 'CANCELLED' },
    ]);
    const watched = await proxy();

    const summary = await run(updateStatusCommand, file, watched.url, user.agent.token);

    expect(exitCodeOf(summary)).toBe(1);
    expect(summary).toMatchObject({ lines: 6, succeeded: 3, failedByCode: { INVALID_TRANSITION: 1, NOT_FOUND: 1, BAD_USER_INPUT: 1 }, notDone: 0 });
    const byLine = new Map((await recordsIn(file)).map((record) => [record.line, record]));
    expect([1, 2, 3, 4, 5, 6].map((line) => byLine.get(line)?.status ?? byLine.get(line)?.error?.code)).toEqual([
      'RUNNING',
      'INVALID_TRANSITION',
      'NOT_FOUND',
      'BAD_USER_INPUT',
      'COMPLETED',
      'CANCELLED',
    ]);
    const statuses = await api.db.selectFrom('tasks').select(['id', 'status']).where('userId', '=', user.id).execute();
    expect(Object.fromEntries(statuses.map((row) => [row.id, row.status]))).toEqual({ [first!]: 'completed', [second!]: 'pending', [third!]: 'cancelled' });

    // A replay (the last chunk applied, the kill before its results were written): no line turns into a failure.
    const kept = (await recordsIn(file)).filter((record) => record.line !== 5 && record.line !== 6);
    await writeFile(`${file}.results.jsonl`, kept.map((record) => JSON.stringify(record) + '\n').join(''));
    const replay = await run(updateStatusCommand, file, watched.url, user.agent.token);
    expect(replay).toMatchObject({ skipped: 4, succeeded: 3, failedByCode: { INVALID_TRANSITION: 1, NOT_FOUND: 1, BAD_USER_INPUT: 1 } });
    const replayed = (await recordsIn(file)).filter((record) => record.line >= 5);
    expect(replayed.map((record) => [record.line, record.status, record.error])).toEqual([
      [5, 'COMPLETED', undefined],
      [6, 'CANCELLED', undefined],
    ]);
  });

  it('with a token that may not update status, stops at the first answer and records no line it sent (exit 2)', async () => {
    const user = await api.createUser();
    const [task] = await createTaskTree(api.db, user.id, { tasks: 1 });
    const file = await inputFile([{ id: task, status: 'RUNNING' }]);
    const watched = await proxy();

    const summary = await run(updateStatusCommand, file, watched.url, user.token);

    expect(exitCodeOf(summary)).toBe(2);
    expect(summary.stoppedBy).toMatchObject({ kind: 'refused' });
    expect(watched.requests).toHaveLength(1);
    expect(await recordsIn(file)).toEqual([]);
  });
});
