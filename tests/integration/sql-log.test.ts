import { randomUUID } from 'node:crypto';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TasksCreateTaskDocument, TasksTaskByIdDocument } from '../generated/graphql.js';
import { startTestApi, type TestApi, type TestUser } from '../helpers/test-api.js';

interface LogLine {
  readonly level: number;
  readonly msg: string;
  readonly reqId?: string;
  readonly sql?: string;
  readonly durationMs?: number;
}

const WARN = 40;
const DEBUG = 20;

/** A test API whose log lines (pino JSON, one per write) land in `lines`. */
async function startLoggedApi(env: Record<string, string>, level: string) {
  const lines: string[] = [];
  const logger = pino({ level }, { write: (line: string) => void lines.push(line) });
  const api = await startTestApi(env, { logger });
  return { api, lines, parsed: () => lines.map((line) => JSON.parse(line) as LogLine) };
}

/** A request that writes and reads values no log may show: the topic, the task id, the user's id and email. */
async function sendSecrets(api: TestApi, user: TestUser, requestId: string) {
  const topic = `Secret topic ${randomUUID()}`;
  const created = await api.execute(TasksCreateTaskDocument, { input: { topic } }, { as: user });
  const taskId = created.data!.createTask.id;
  const read = await api.execute(TasksTaskByIdDocument, { id: taskId }, { as: user, headers: { 'x-request-id': requestId } });
  expect(read.data?.task?.topic).toBe(topic);
  return [topic, taskId, user.id, user.email];
}

describe('the slow-query log', () => {
  let logged: Awaited<ReturnType<typeof startLoggedApi>>;
  beforeAll(async () => {
    // 0 ms: every statement is slow, so a request's every statement is logged.
    logged = await startLoggedApi({ SLOW_QUERY_MS: '0' }, 'warn');
  });
  afterAll(() => logged.api.close());

  it('logs each statement over the threshold at warn with its text, duration and request id, never its values', async () => {
    const user = await logged.api.createUser();
    const secrets = await sendSecrets(logged.api, user, 'req-slow-log');

    const slow = logged.parsed().filter((line) => line.msg === 'slow sql statement');
    const ofRequest = slow.filter((line) => line.reqId === 'req-slow-log');
    expect(ofRequest.length).toBeGreaterThan(0);
    for (const line of ofRequest) {
      expect(line.level).toBe(WARN);
      expect(line.sql).toMatch(/^(select|with)\b/);
      expect(line.durationMs).toBeGreaterThanOrEqual(0);
    }
    expect(ofRequest.some((line) => line.sql!.includes('"tasks"'))).toBe(true);
    // Statements outside a request (createUser's insert) are logged too, without a request id.
    expect(slow.some((line) => line.reqId === undefined && line.sql!.startsWith('insert into "users"'))).toBe(true);

    const everything = logged.lines.join('\n');
    for (const secret of secrets) expect(everything).not.toContain(secret);
  });
});

describe('the SQL echo (LOG_SQL=true)', () => {
  let logged: Awaited<ReturnType<typeof startLoggedApi>>;
  beforeAll(async () => {
    // LOG_LEVEL stays above debug on purpose: LOG_SQL alone shows the echo. One hour: nothing is slow.
    logged = await startLoggedApi({ LOG_SQL: 'true', SLOW_QUERY_MS: '3600000' }, 'info');
  });
  afterAll(() => logged.api.close());

  it('logs every statement at debug with its text only', async () => {
    const user = await logged.api.createUser();
    const { result: secrets, statements } = await logged.api.recordSql(() => sendSecrets(logged.api, user, 'req-echo'));

    const echoed = logged.parsed().filter((line) => line.msg === 'sql statement');
    expect(echoed.every((line) => line.level === DEBUG)).toBe(true);
    expect(echoed.filter((line) => line.reqId === 'req-echo').length).toBeGreaterThan(0);
    expect(echoed.slice(-statements.length).map((line) => line.sql)).toEqual(statements);
    expect(logged.parsed().some((line) => line.msg === 'slow sql statement')).toBe(false);

    const everything = logged.lines.join('\n');
    for (const secret of secrets) expect(everything).not.toContain(secret);
  });
});
