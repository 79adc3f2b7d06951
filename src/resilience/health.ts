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

  app.get('/readyz', async (_request, reply) => {
    const cache = deps.cache.circuitState === 'closed' ? 'up' : 'degraded';
    if (deps.lifecycle?.draining) return reply.code(503).send({ status: 'draining', cache });
    try {
      await deps.db.selectNoFrom((eb) => eb.lit(1).as('one')).execute();
      return { status: 'ready', database: 'up', cache };
    } catch {
      return reply.code(503).send({ status: 'unready', database: 'down', cache });
    }
  });
}
