/**
 * npx tsx tools/abuse/main.ts [--duration 5] [--connections 16] [--attacks validation-bomb,slowloris]
 *   [--no-limits] [--script-versions 1000] [--slowloris-sockets 500] [--slowloris-duration 35]
 *
 * What well-behaved clients keep getting while one attacker floods the API:
 * for each attack (tools/abuse/attacks.ts), the well-behaved alone,
 * beside it, and alone again; their requests per second and p99, the
 * server's peak resident memory, and what the attacker got. Goal: >= 80 % of the
 * throughput and under 500 MB. Loopback only, bounded in time; reads the
 * bench data set of DATABASE_URL (npm run seed -- --scale bench; small works)
 * and deletes what the attacks wrote. Not part of the test suite.
 */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { resolveJwtSecret } from '../../src/auth/dev-secret.js';
import { Scope } from '../../src/auth/scopes.js';
import { createTokenIssuer } from '../../src/auth/tokens.js';
import { deleteCreatedTasks, prepareFixtures, type Fixtures, type Viewer } from '../bench/fixtures.js';
import { requestBody } from '../bench/graphql-client.js';
import { runLoad } from '../bench/load.js';
import { TASK_BY_ID, TASKS_BY_STATUS } from '../bench/operations.js';
import { startServer, type ServerProcess } from '../bench/server-process.js';
import { loadConfig } from '../../src/config.js';
import { ATTACK_NAMES, attackNamed, type Attack, type AttackTarget } from './attacks.js';
import { prepareAttackProcess } from './attack-process.js';
import { serverCpuSeconds } from './cpu.js';
import type { Answers } from './flood.js';
import { watchRss } from './rss.js';
import { settle } from './settle.js';
import { createLargeScripts } from './setup.js';

/** Every limit lifted: what the attacks cost an unprotected server (--no-limits). */
const NO_LIMITS = {
  QUERY_MAX_DEPTH: '1000',
  QUERY_MAX_ALIASES: '100000',
  QUERY_MAX_COST: '1000000000',
  QUERY_MAX_TOKENS: '10000000',
  RATE_LIMIT_POINTS: '1000000000',
};
const GOAL_KEPT = 0.8;
const GOAL_RSS_BYTES = 500 * 1024 * 1024;
/** Past this the attack is stopped: the bench must not take the machine down with the server. */
const RSS_CAP_BYTES = 2 * 1024 * 1024 * 1024;
const MB = 1024 * 1024;
/** 1 s left the first attack's "alone" phase measuring a cold server (387 req/s, then 3,304 after it). */
const WARM_UP_S = 5;

interface Options {
  readonly durationS: number;
  readonly connections: number;
  readonly attacks: readonly Attack[];
  readonly noLimits: boolean;
  readonly scriptVersions: number;
  readonly slowlorisSockets: number;
  readonly slowlorisDurationS: number;
}

interface Row {
  readonly server: string;
  readonly attack: string;
  /** Before the attack and after it (once the server has settled): the machine's other load moves both. */
  readonly aloneRps: readonly [number, number];
  readonly besideRps: number;
  readonly aloneP99: number;
  readonly besideP99: number;
  /** How long the server took to answer promptly again once the attack stopped, in ms; undefined: over a minute. */
  readonly settleMs: number | undefined;
  readonly wellBehavedErrors: number;
  readonly rssPeakBytes: number;
  readonly attackerGot: string;
  /** The server's CPU per well-behaved request alone (ms), and its CPU beside the attack (cores: CPU seconds per second). */
  readonly cpuMsPerRequestAlone: number;
  readonly cpuCoresBeside: number;
  /** What the attacker cost the server, in cores: its CPU beside, less what the well-behaved requests beside cost at their price alone. */
  readonly attackerCores: number;
}

async function main(): Promise<void> {
  const options = readOptions();
  const config = loadConfig(process.env);
  if (config.database.url === undefined) throw new Error('Set DATABASE_URL to the bench database (npm run seed -- --scale bench)');
  const fixtures = await prepareFixtures(config, `abuse-${Date.now().toString(36)}`);
  const secret = await resolveJwtSecret(config);
  const metricsToken = randomBytes(24).toString('hex');
  const env = { ...process.env, NODE_ENV: 'production', JWT_SECRET: secret, DB_SSL: String(config.database.ssl), LOG_LEVEL: 'warn', METRICS_TOKEN: metricsToken };
  // One attacking viewer per attack: each attack starts with a full budget, whatever the one before spent.
  const attackers = new Map(options.attacks.map((attack, i) => [attack.name, fixtures.viewers[i]!] as const));
  const agentTokens = createTokenIssuer(secret);

  const rows: Row[] = [];
  const notes: string[] = [];
  try {
    for (const [serverName, extra] of options.noLimits ? ([['default limits', {}], ['no limits', NO_LIMITS]] as const) : ([['default limits', {}]] as const)) {
      console.error(`${serverName}: starting the server`);
      const server = await startServer({ ...env, ...extra });
      try {
        const targets = new Map<string, AttackTarget>();
        for (const [name, viewer] of attackers) {
          let scriptTaskId = '';
          if (name === 'huge-scripts') {
            console.error(`${serverName}: writing ${options.scriptVersions} large scripts with an agent token`);
            const agentToken = await agentTokens.sign(viewer.id, '6h', [Scope.AGENT]);
            const scripts = await createLargeScripts(server.url, viewer.token, agentToken, fixtures.runTag, options.scriptVersions);
            scriptTaskId = scripts.taskId;
            notes.push(`${serverName}: huge-scripts read a task with ${scripts.versions} scripts of ${scripts.contentChars.toLocaleString('en')} characters${scripts.note ? ` (${scripts.note})` : ''}.`);
          }
          targets.set(name, { token: viewer.token, taskId: taskOf(fixtures, viewer), scriptTaskId, runTag: fixtures.runTag });
        }
        const wellBehavedFixtures = withoutAttackers(fixtures, [...attackers.values()]);
        await wellBehaved(server, wellBehavedFixtures, options.connections, WARM_UP_S); // caches, JIT, pool
        for (const attack of options.attacks) {
          console.error(`${serverName}: ${attack.name}`);
          rows.push(await measure(serverName, attack, server, wellBehavedFixtures, targets.get(attack.name)!, metricsToken, options));
        }
      } finally {
        await server.stop();
      }
    }
  } finally {
    const deleted = await deleteCreatedTasks(config, fixtures);
    console.error(`deleted the ${deleted} tasks the attacks created`);
  }
  console.log(renderRows(rows, options, notes));
}

function readOptions(): Options {
  const { values } = parseArgs({
    options: {
      duration: { type: 'string', default: '5' },
      connections: { type: 'string', default: '16' },
      attacks: { type: 'string', default: ATTACK_NAMES.join(',') },
      'no-limits': { type: 'boolean', default: false },
      'script-versions': { type: 'string', default: '1000' },
      'slowloris-sockets': { type: 'string', default: '500' },
      // The default request timeout (30 s) and a few seconds: long enough to see the server end the held requests.
      'slowloris-duration': { type: 'string', default: '35' },
    },
  });
  const options = {
    durationS: Number(values.duration),
    connections: Number(values.connections),
    attacks: values.attacks.split(',').map((name) => attackNamed(name.trim())),
    noLimits: values['no-limits'],
    scriptVersions: Number(values['script-versions']),
    slowlorisSockets: Number(values['slowloris-sockets']),
    slowlorisDurationS: Number(values['slowloris-duration']),
  };
  if (!(options.durationS > 0 && options.durationS <= 60) || !(options.connections > 0 && options.connections <= 64)) throw new Error('--duration must be 1..60 s and --connections 1..64');
  if (!(options.scriptVersions >= 1 && options.slowlorisSockets >= 1 && options.slowlorisSockets <= 5_000 && options.slowlorisDurationS > 0)) {
    throw new Error('--script-versions must be >= 1, --slowloris-sockets 1..5000 and --slowloris-duration > 0');
  }
  return options;
}

/**
 * The well-behaved alone, beside the attack (the server's memory watched
 * meanwhile), and alone again once the server has worked off what the
 * attack left queued: the two alone phases bracket the attack, so a change
 * in the machine's other load shows as a gap between them.
 */
async function measure(serverName: string, attack: Attack, server: ServerProcess, fixtures: Fixtures, target: AttackTarget, metricsToken: string, options: Options): Promise<Row> {
  const origin = new URL(server.url).origin;
  const cpu = () => serverCpuSeconds(`${origin}/metrics`, metricsToken);
  await settle(origin);
  const cpuBeforeAlone = await cpu();
  const alone = await wellBehaved(server, fixtures, options.connections, options.durationS);
  const cpuAlone = (await cpu()) - cpuBeforeAlone;
  const attackS = attack.kind === 'slow' ? options.slowlorisDurationS : options.durationS;
  const attacker = await prepareAttackProcess({
    attack: attack.name,
    url: server.url,
    target,
    connections: options.connections,
    durationS: attackS,
    slowloris: { sockets: options.slowlorisSockets, byteEveryMs: 5_000 },
  });
  const cpuBeforeBeside = await cpu();
  const flood = attacker.start();
  let capped = false;
  const rss = watchRss(`${origin}/metrics`, metricsToken, RSS_CAP_BYTES, () => {
    capped = true;
    flood.stop();
  });
  const beside = await wellBehaved(server, fixtures, options.connections, attackS);
  const cpuBeside = (await cpu().catch(() => Number.NaN)) - cpuBeforeBeside;
  flood.stop();
  const answers = await flood.done;
  const rssPeakBytes = await rss.stop();
  if (capped) answers.set(`attack stopped at ${RSS_CAP_BYTES / MB} MB RSS`, 1);
  const settleMs = await settle(origin);
  const after = await wellBehaved(server, fixtures, options.connections, options.durationS);
  const [a, b] = [alone.latencies.summary(), beside.latencies.summary()];
  return {
    server: serverName,
    attack: attack.name,
    aloneRps: [alone.responses / alone.durationS, after.responses / after.durationS],
    settleMs,
    besideRps: beside.responses / beside.durationS,
    aloneP99: a.p99,
    besideP99: b.p99,
    wellBehavedErrors: beside.errors.http + beside.errors.graphql + beside.errors.network,
    rssPeakBytes,
    attackerGot: describeAnswers(answers),
    cpuMsPerRequestAlone: (1000 * cpuAlone) / Math.max(1, alone.responses),
    cpuCoresBeside: cpuBeside / beside.durationS,
    attackerCores: Math.max(0, cpuBeside - (beside.responses * cpuAlone) / Math.max(1, alone.responses)) / beside.durationS,
  };
}

/** W1 and W2 over every viewer left: reads by id and pages of 20. */
function wellBehaved(server: ServerProcess, fixtures: Fixtures, connections: number, durationS: number) {
  const statuses = ['PENDING', 'RUNNING', 'COMPLETED', 'FAILED', 'CANCELLED'];
  const tasks = fixtures.hotTasks;
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

function withoutAttackers(fixtures: Fixtures, attackers: readonly Viewer[]): Fixtures {
  const ids = new Set(attackers.map((a) => a.id));
  return { ...fixtures, hotTasks: fixtures.hotTasks.filter((task) => !ids.has(task.viewer.id)) };
}

function taskOf(fixtures: Fixtures, viewer: Viewer): string {
  const task = fixtures.hotTasks.find((t) => t.viewer.id === viewer.id);
  if (!task) throw new Error(`the attacker ${viewer.email} has no task`);
  return task.id;
}

function describeAnswers(answers: Answers): string {
  return [...answers].sort((x, y) => y[1] - x[1]).map(([answer, count]) => `${answer} × ${count.toLocaleString('en')}`).join(', ') || 'nothing';
}

function renderRows(rows: readonly Row[], options: Options, notes: readonly string[]): string {
  const fixed = (value: number) => value.toFixed(value >= 100 ? 0 : 1);
  const aloneMean = (r: Row) => (r.aloneRps[0] + r.aloneRps[1]) / 2;
  const kept = (r: Row) => (aloneMean(r) > 0 ? `${Math.round((100 * r.besideRps) / aloneMean(r))} %` : 'n/a');
  const verdict = (r: Row) => (aloneMean(r) > 0 && r.besideRps >= GOAL_KEPT * aloneMean(r) && r.rssPeakBytes < GOAL_RSS_BYTES ? 'yes' : '**no**');
  const settled = (r: Row) => (r.settleMs === undefined ? '> 60 s' : `${(r.settleMs / 1000).toFixed(1)} s`);
  return [
    `Well-behaved: ${options.connections} connections of W1/W2 reads over the viewers that do not attack; attacker: ${options.connections} connections of one viewer (slowloris: ${options.slowlorisSockets} sockets); ${options.durationS} s per phase (slowloris ${options.slowlorisDurationS} s).`,
    `Goal: the well-behaved keep >= ${GOAL_KEPT * 100} % of their throughput and the server stays under ${GOAL_RSS_BYTES / MB} MB RSS.`,
    '',
    '| server | attack | well-behaved alone req/s (before / after) | beside req/s | kept | p99 alone ms | p99 beside ms | errors beside | RSS peak MB | settled in | goal met | server CPU ms per request alone | server CPU beside (cores) | the attacker’s share (cores) | the attacker got |',
    '|---|---|--:|--:|--:|--:|--:|--:|--:|--:|---|--:|--:|--:|---|',
    ...rows.map(
      (r) =>
        `| ${r.server} | ${r.attack} | ${fixed(r.aloneRps[0])} / ${fixed(r.aloneRps[1])} | ${fixed(r.besideRps)} | ${kept(r)} | ${fixed(r.aloneP99)} | ${fixed(r.besideP99)} | ${r.wellBehavedErrors} | ${Math.round(r.rssPeakBytes / MB)} | ${settled(r)} | ${verdict(r)} | ${r.cpuMsPerRequestAlone.toFixed(2)} | ${r.cpuCoresBeside.toFixed(2)} | ${r.attackerCores.toFixed(2)} | ${r.attackerGot} |`,
    ),
    ...(notes.length > 0 ? ['', ...notes] : []),
  ].join('\n');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
