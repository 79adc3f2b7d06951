import type { FastifyInstance } from 'fastify';
import type { Cache } from '../cache/cache.js';
import type { Db } from '../db/database.js';
import type { Lifecycle } from './lifecycle.js';

export interface HealthDeps {
  readonly db: Db;
  readonly cache: Cache;
  /** Absent: the server never drains (tests). */
  readonly lifecycle?: Lifecycle | undefined;
}

/**
 * Probes come from every load balancer node and orchestrator, each every few
 * seconds, and anyone can send more: the database is asked at most once per
 * second, whatever the number of probes.
 */
const READINESS_MAX_AGE_MS = 1_000;

/**
 * Liveness checks nothing outside the process: a PostgreSQL outage must not
 * get every instance restarted. Readiness asks PostgreSQL, reports the cache
 * (down makes the API slower, not unready), and goes unready as soon as a
 * shutdown starts, before the server stops accepting.
 */
export function registerHealth(app: FastifyInstance, deps: HealthDeps): void {
  app.get('/healthz', async () => ({ status: 'ok' }));

  // While draining, every answer closes its connection: a client's idle
  // keep-alive connection would otherwise hold the closing server open.
  app.addHook('onSend', async (_request, reply, payload) => {
    if (deps.lifecycle?.draining) reply.header('connection', 'close');
    return payload;
  });

  const databaseUp = recentResult(READINESS_MAX_AGE_MS, async () => {
    try {
      await deps.db.selectNoFrom((eb) => eb.lit(1).as('one')).execute();
      return true;
    } catch {
      return false;
    }
  });
  app.get('/readyz', async (_request, reply) => {
    const cache = deps.cache.circuitState === 'closed' ? 'up' : 'degraded';
    if (deps.lifecycle?.draining) return reply.code(503).send({ status: 'draining', cache });
    if (await databaseUp()) return { status: 'ready', database: 'up', cache };
    return reply.code(503).send({ status: 'unready', database: 'down', cache });
  });
}

/**
 * `check`'s answer while it is at most `maxAgeMs` old, counted from when the
 * check started (so it never claims more than it saw). Callers arriving while
 * a check runs share it, however long it takes (single flight): a stalled
 * database gets one probe statement, not one per second.
 */
export function recentResult<T>(maxAgeMs: number, check: () => Promise<T>, now: () => number = () => performance.now()): () => Promise<T> {
  let last: { startedAt: number; settled: boolean; value: Promise<T> } | undefined;
  return () => {
    const startedAt = now();
    if (last !== undefined && (!last.settled || startedAt - last.startedAt <= maxAgeMs)) return last.value;
    const current = { startedAt, settled: false, value: check() };
    const settle = () => {
      current.settled = true;
    };
    current.value.then(settle, settle);
    last = current;
    return current.value;
  };
}
