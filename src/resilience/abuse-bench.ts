/**
 * npx tsx src/resilience/abuse-bench.ts [--duration 5] [--connections 16]
 *
 * What well-behaved clients keep getting while one abusive client floods the
 * API with deep queries, alias bombs and over-priced pages: requests per
 * second and latency of the well-behaved, alone and under abuse, on a server
 * with the default limits and on one with every limit lifted. Loopback only,
 * bounded in time; reads the bench data set of DATABASE_URL (npm run seed --
 * --scale bench) and writes nothing. Not part of the test suite.
 */
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { resolveJwtSecret } from '../auth/dev-secret.js';
import { prepareFixtures, type Fixtures } from '../bench/fixtures.js';
import { requestBody } from '../bench/graphql-client.js';
import { runLoad } from '../bench/load.js';
import { TASK_BY_ID, TASKS_BY_STATUS } from '../bench/operations.js';
import { startServer, type ServerProcess } from '../bench/server-process.js';
import { loadConfig } from '../config.js';

/** Every limit lifted: what the abusive client costs an unprotected server. */
const NO_LIMITS = {
  QUERY_MAX_DEPTH: '1000',
  QUERY_MAX_ALIASES: '100000',
  QUERY_MAX_COST: '1000000000',
  QUERY_MAX_TOKENS: '10000000',
  RATE_LIMIT_POINTS: '1000000000',
};

/** 41 fields deep through Task.latestScript -> Script.task: no lists, so only the depth limit stops it. */
const deep = (taskId: string) => `{ task(id: "${taskId}") { ${'latestScript { task { '.repeat(20)}id${' } }'.repeat(20)} } }`;
/** 300 aliases, each a page of 100 tasks. */
const ALIASES = `{ ${Array.from({ length: 300 }, (_, i) => `a${i}: tasks(first: 100) { nodes { id topic } }`).join(' ')} }`;
/** Within depth and alias limits, but 100 x 100 storyboards with their media: cost 30,201. */
const PRICEY = '{ tasks(first: 100) { nodes { storyboards(first: 100) { nodes { id firstFrameImage { url } video { url } } } } } }';

interface Row {
  readonly server: string;
  readonly phase: string;
  readonly goodRps: number;
  readonly goodP95: number;
  readonly goodP99: number;
  readonly goodErrors: number;
  readonly abusiveRps: number;
  readonly abusiveAnswers: string;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { duration: { type: 'string', default: '5' }, connections: { type: 'string', default: '16' } } });
  const durationS = Number(values.duration);
  const connections = Number(values.connections);
  if (!(durationS > 0 && durationS <= 60) || !(connections > 0 && connections <= 64)) throw new Error('--duration must be 1..60 s and --connections 1..64');
  const config = loadConfig(process.env);
  if (config.database.url === undefined) throw new Error('Set DATABASE_URL to the bench database (npm run seed -- --scale bench)');
  const fixtures = await prepareFixtures(config, `abuse-${Date.now().toString(36)}`);
  const env = { ...process.env, NODE_ENV: 'production', JWT_SECRET: await resolveJwtSecret(config), DB_SSL: String(config.database.ssl), LOG_LEVEL: 'warn' };

  const rows: Row[] = [];
  for (const [name, extra] of [['default limits', {}], ['no limits', NO_LIMITS]] as const) {
    console.error(`${name}: starting the server`);
    const server = await startServer({ ...env, ...extra });
    try {
      await wellBehaved(server, fixtures, connections, 1); // warm-up: caches, JIT, pool
      rows.push(await phase(name, 'baseline', server, fixtures, connections, durationS, false));
      rows.push(await phase(name, 'under abuse', server, fixtures, connections, durationS, true));
    } finally {
      await server.stop();
    }
  }
  console.log(renderRows(rows, connections, durationS));
}

async function phase(serverName: string, name: string, server: ServerProcess, fixtures: Fixtures, connections: number, durationS: number, abuse: boolean): Promise<Row> {
  console.error(`${serverName}: ${name}`);
  const [good, bad] = await Promise.all([wellBehaved(server, fixtures, connections, durationS), abuse ? abusive(server, fixtures, connections, durationS) : undefined]);
  const latency = good.latencies.summary();
  return {
    server: serverName,
    phase: name,
    goodRps: good.responses / good.durationS,
    goodP95: latency.p95,
    goodP99: latency.p99,
    goodErrors: good.errors.http + good.errors.graphql + good.errors.network,
    abusiveRps: bad ? bad.responses / durationS : 0,
    abusiveAnswers: bad ? [...bad.answers].map(([answer, count]) => `${answer} x${count}`).join(', ') : '-',
  };
}

/** W1 and W2 over every viewer but the first: reads by id and pages of 20. */
function wellBehaved(server: ServerProcess, fixtures: Fixtures, connections: number, durationS: number) {
  const statuses = ['PENDING', 'RUNNING', 'COMPLETED', 'FAILED', 'CANCELLED'];
  const tasks = fixtures.hotTasks.filter((task) => task.viewer.id !== fixtures.viewers[0]!.id);
  let n = 0;
  return runLoad({
    url: server.url,
    connections,
    durationS,
    next: () => {
      const task = tasks[n++ % tasks.length]!;
      const body =
        n % 2 === 0
          ? requestBody({ query: TASK_BY_ID, variables: { id: task.id } })
          : requestBody({ query: TASKS_BY_STATUS, variables: { status: statuses[n % statuses.length] } });
      return { body, token: task.viewer.token };
    },
  });
}

/** The first viewer, rotating through the three bombs; answers counted by status and error code. */
function abusive(server: ServerProcess, fixtures: Fixtures, connections: number, durationS: number): Promise<{ responses: number; answers: Map<string, number> }> {
  const answers = new Map<string, number>();
  const bombs = [deep(fixtures.firstViewer.completedPage[0]!), ALIASES, PRICEY].map((query) => requestBody({ query }));
  let n = 0;
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url: server.url,
        connections,
        duration: durationS,
        timeout: 10,
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${fixtures.viewers[0]!.token}` },
        requests: [
          {
            setupRequest: (request) => ({ ...request, body: bombs[n++ % bombs.length] }),
            onResponse(status, body) {
              const code = /"code":"([A-Z_]+)"/.exec(body)?.[1] ?? 'ok';
              const key = `${status} ${code}`;
              answers.set(key, (answers.get(key) ?? 0) + 1);
            },
          },
        ],
      },
      (error: unknown, result: autocannon.Result) => {
        if (error) return reject(error instanceof Error ? error : new Error(String(error)));
        if (result.errors > 0) answers.set('no answer', result.errors);
        resolve({ responses: [...answers.values()].reduce((a, b) => a + b, 0), answers });
      },
    );
  });
}

function renderRows(rows: readonly Row[], connections: number, durationS: number): string {
  const fixed = (value: number) => value.toFixed(value >= 100 ? 0 : 1);
  return [
    `Well-behaved: ${connections} connections of W1/W2 reads over 99 viewers; abusive: ${connections} connections of one viewer; ${durationS} s per phase.`,
    '',
    '| server | phase | well-behaved req/s | p95 ms | p99 ms | errors | abusive answers/s | abusive answers |',
    '|---|---|--:|--:|--:|--:|--:|---|',
    ...rows.map((r) => `| ${r.server} | ${r.phase} | ${fixed(r.goodRps)} | ${fixed(r.goodP95)} | ${fixed(r.goodP99)} | ${r.goodErrors} | ${fixed(r.abusiveRps)} | ${r.abusiveAnswers} |`),
  ].join('\n');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
