/**
 * npx tsx tools/abuse/calibrate.ts [--duration 3] [--attacks huge-scripts,variables] [--script-versions 100]
 *   [--connections 1] [--budgets unlimited|default]
 *
 * What each kind of request costs the server against what it is charged: the
 * server runs in this process (as src/main.ts wires it, its rate limiter
 * keeping a ledger and budgets no one spends), one client in a child process
 * sends one request at a time, well-behaved reads first and then each
 * attack's. Per kind: requests answered, the server's CPU per request
 * (process.cpuUsage: every thread of this process, zlib's pool too), the units
 * charged per request, and CPU per unit charged. A unit is meant to be ~10 us
 * (src/limits/request-charge.ts): a kind far above that is charged less than
 * it costs. Reads DATABASE_URL's bench data set, like tools/abuse/main.ts.
 *
 * With --budgets default --connections 16, the attacks flood under the
 * default rate limits instead, with no one else: the server's CPU per second
 * (cores) is then what one attacker can take from everyone else (its budget
 * is 0.1 of a core).
 */
import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { resolveJwtSecret } from '../../src/auth/dev-secret.js';
import { Scope } from '../../src/auth/scopes.js';
import { createTokenIssuer } from '../../src/auth/tokens.js';
import { createCache } from '../../src/cache/create-cache.js';
import { loadConfig } from '../../src/config.js';
import { openDatabase } from '../../src/db/open.js';
import { SqlTracker } from '../../src/db/sql-tracker.js';
import { createRateLimiter, type RateLimiter } from '../../src/resilience/rate-limiter.js';
import { createSchema } from '../../src/schema.js';
import { createServer } from '../../src/server.js';
import { cpuOf, postgresBackends } from '../batch/cpu.js';
import { deleteCreatedTasks, prepareFixtures } from '../bench/fixtures.js';
import { requestBody } from '../bench/graphql-client.js';
import { TASK_BY_ID, TASKS_BY_STATUS } from '../bench/operations.js';
import { prepareAttackProcess } from './attack-process.js';
import { ATTACK_NAMES, type AttackRequest, type AttackTarget } from './attacks.js';
import { createLargeScripts } from './setup.js';

/** The unit's price (src/limits/request-charge.ts). */
const MICROSECONDS_PER_UNIT = 10;
const UNLIMITED = '1000000000';

interface Measured {
  readonly kind: string;
  /** The server's CPU seconds per second of the phase. */
  readonly cores: number;
  readonly requests: number;
  readonly answers: string;
  readonly cpuUsPerRequest: number;
  /** PostgreSQL's CPU per request (every postgres process of this machine, so other users' queries too). */
  readonly pgUsPerRequest: number;
  readonly unitsPerRequest: number;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      duration: { type: 'string', default: '3' },
      attacks: { type: 'string', default: ATTACK_NAMES.filter((name) => name !== 'slowloris').join(',') },
      'script-versions': { type: 'string', default: '100' },
      connections: { type: 'string', default: '1' },
      budgets: { type: 'string', default: 'unlimited' },
    },
  });
  const durationS = Number(values.duration);
  const connections = Number(values.connections);
  const budgets = values.budgets === 'default' ? {} : { RATE_LIMIT_POINTS: UNLIMITED, RATE_LIMIT_ANONYMOUS_POINTS: UNLIMITED, RATE_LIMIT_WINDOW_S: '3600' };
  const base = loadConfig(process.env);
  const env = { ...process.env, JWT_SECRET: await resolveJwtSecret(base), DB_SSL: String(base.database.ssl), NODE_ENV: 'production', LOG_LEVEL: 'warn', ...budgets };
  const config = loadConfig(env);
  if (config.database.url === undefined) throw new Error('Set DATABASE_URL to the bench database (npm run seed -- --scale bench)');
  const databaseName = new URL(config.database.url).pathname.slice(1);
  const fixtures = await prepareFixtures(config, `calibrate-${Date.now().toString(36)}`);
  const logger = pino({ level: 'warn' });
  const tracker = new SqlTracker();
  const database = await openDatabase(config, tracker, logger);
  const cache = createCache(config.cache);
  const ledger = countingLimiter(createRateLimiter(config.rateLimit));
  const tokens = createTokenIssuer(await resolveJwtSecret(config));
  const server = await createServer({ config, database, tracker, tokens, schema: await createSchema(), logger, cache, rateLimiter: ledger.limiter });
  const url = `${await server.app.listen({ host: '127.0.0.1', port: 0 })}/graphql`;
  const rows: Measured[] = [];
  try {
    const attacker = fixtures.viewers[0]!;
    const task = fixtures.hotTasks.find((t) => t.viewer.id === attacker.id)!;
    const scripts = await createLargeScripts(url, attacker.token, await tokens.sign(attacker.id, '1h', [Scope.AGENT]), fixtures.runTag, Number(values['script-versions']));
    const target: AttackTarget = { token: attacker.token, taskId: task.id, scriptTaskId: scripts.taskId, runTag: fixtures.runTag };
    const statuses = ['PENDING', 'RUNNING', 'COMPLETED', 'FAILED', 'CANCELLED'];
    const wellBehaved: AttackRequest[] = fixtures.hotTasks
      .filter((t) => t.viewer.id !== attacker.id)
      .slice(0, 200)
      .map((t, n) => ({
        body: n % 2 === 0 ? requestBody({ query: TASK_BY_ID, variables: { id: t.id } }) : requestBody({ query: TASKS_BY_STATUS, variables: { status: statuses[n % statuses.length] } }),
        token: t.viewer.token,
      }));
    // Each attack but huge-scripts (whose task is the first viewer's) from a viewer of its own: under the default budgets, none inherits another's debt.
    const targetOf = (n: number): AttackTarget => {
      const viewer = fixtures.viewers[n]!;
      return { ...target, token: viewer.token, taskId: fixtures.hotTasks.find((t) => t.viewer.id === viewer.id)!.id };
    };
    const measure = async (kind: string, attack: string, requests?: readonly AttackRequest[], attacker = target) => {
      const ready = await prepareAttackProcess({ attack, url, target: attacker, connections, durationS, slowloris: { sockets: 1, byteEveryMs: 1_000 }, requests });
      const [cpuBefore, unitsBefore, pgBefore] = [process.cpuUsage(), ledger.total(), postgresCpuSeconds(databaseName)];
      const answers = await ready.start().done;
      // A charge lands before its answer leaves; a reply the client never took is charged when it ends.
      await new Promise((resolve) => setTimeout(resolve, 200));
      const cpu = process.cpuUsage(cpuBefore);
      const pgUs = 1e6 * (postgresCpuSeconds(databaseName) - pgBefore);
      const count = [...answers.values()].reduce((sum, n) => sum + n, 0);
      const row = {
        kind,
        cores: (cpu.user + cpu.system) / 1e6 / durationS,
        requests: count,
        answers: [...answers].map(([answer, n]) => `${answer} x ${n}`).join(', '),
        cpuUsPerRequest: (cpu.user + cpu.system) / Math.max(1, count),
        pgUsPerRequest: pgUs / Math.max(1, count),
        unitsPerRequest: (ledger.total() - unitsBefore) / Math.max(1, count),
      };
      rows.push(row);
      console.error(render([row]));
    };
    // Twice: the first warms the caches, the JIT and the pool.
    await measure('well-behaved (warm-up)', 'limits', wellBehaved);
    await measure('well-behaved', 'limits', wellBehaved);
    const names = values.attacks.split(',').map((n) => n.trim());
    for (const [i, name] of names.entries()) await measure(name, name, undefined, name === 'huge-scripts' ? target : targetOf(fixtures.viewers.length - 1 - i));
  } finally {
    await server.app.close();
    await database.close();
    await cache.close();
    console.error(`deleted the ${await deleteCreatedTasks(config, fixtures)} tasks the requests created`);
  }
  console.log(render(rows));
}

/** The limiter, counting every unit taken or charged to anyone. */
function countingLimiter(inner: RateLimiter): { limiter: RateLimiter; total: () => number } {
  let total = 0;
  return {
    total: () => total,
    limiter: {
      consume: async (subject, points) => {
        total += points;
        return inner.consume(subject, points);
      },
      charge: async (subject, points) => {
        total += Math.max(0, points);
        return inner.charge(subject, points);
      },
      close: () => inner.close(),
    },
  };
}

/** CPU seconds of the PostgreSQL backends serving `database` (the API's pool), from /proc (tools/batch/cpu.ts). */
function postgresCpuSeconds(database: string): number {
  return postgresBackends(database).reduce((sum, pid) => sum + (cpuOf(pid)?.own ?? 0), 0) / 1_000;
}

const perUnit = (r: Measured) => (r.cpuUsPerRequest + r.pgUsPerRequest) / Math.max(1e-9, r.unitsPerRequest);

function render(rows: readonly Measured[]): string {
  return [
    '| kind | requests | server cores | server CPU us per request | PostgreSQL CPU us per request | units charged per request | server+PG CPU us per unit charged | answers |',
    '|---|--:|--:|--:|--:|--:|--:|---|',
    ...rows.map(
      (r) =>
        `| ${r.kind} | ${r.requests} | ${r.cores.toFixed(3)} | ${r.cpuUsPerRequest.toFixed(0)} | ${r.pgUsPerRequest.toFixed(0)} | ${r.unitsPerRequest.toFixed(1)} | ${perUnit(r).toFixed(1)}${perUnit(r) > 2 * MICROSECONDS_PER_UNIT ? ' **under-charged**' : ''} | ${r.answers} |`,
    ),
  ].join('\n');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
