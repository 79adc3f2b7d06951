import { createHash, timingSafeEqual } from 'node:crypto';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { MetricsConfig } from '../config.js';
import type { Metrics } from './metrics.js';

/** Who GET /metrics answers on one listener (config.metrics.onMainListener, or `public` on a listener of its own). */
export type MetricsAccess = { readonly kind: 'public' } | { readonly kind: 'bearer'; readonly token: string } | { readonly kind: 'off' };

export function mainListenerAccess(config: MetricsConfig): MetricsAccess {
  if (config.onMainListener === 'bearer') return { kind: 'bearer', token: config.token! };
  return { kind: config.onMainListener === 'public' ? 'public' : 'off' };
}

/** GET /metrics in the Prometheus text format; `off` registers nothing, so the route answers 404 like any unknown one. */
export function registerMetricsRoute(app: FastifyInstance, metrics: Metrics, access: MetricsAccess): void {
  if (access.kind === 'off') return;
  const allowed = access.kind === 'bearer' ? bearerCheck(access.token) : () => true;
  app.get('/metrics', async (request, reply) => {
    if (!allowed(request.headers.authorization)) {
      return reply.code(401).header('www-authenticate', 'Bearer realm="metrics"').send({ error: 'Unauthorized' });
    }
    const body = await metrics.registry.metrics();
    return reply.type(metrics.registry.contentType).send(body);
  });
}

/** Compares digests, so neither the time taken nor a length mismatch tells how much of a guess was right. */
function bearerCheck(token: string): (authorization: string | undefined) => boolean {
  const expected = digest(token);
  return (authorization) => {
    const presented = /^Bearer (.+)$/i.exec(authorization ?? '')?.[1];
    return presented !== undefined && timingSafeEqual(digest(presented), expected);
  };
}

const digest = (value: string) => createHash('sha256').update(value).digest();

export interface MetricsListener {
  /** `http://host:port` */
  readonly address: string;
  close(): Promise<void>;
}

/**
 * A listener that serves GET /metrics and nothing else, to whoever reaches it:
 * bound to loopback (or a port the load balancer does not expose), the
 * network keeps strangers out instead of a token.
 */
export async function startMetricsListener(metrics: Metrics, listen: NonNullable<MetricsConfig['listener']>, logger: FastifyBaseLogger): Promise<MetricsListener> {
  const app = Fastify({
    loggerInstance: logger,
    logController: new LogController({ disableRequestLogging: true }),
    // A scrape is a few lines of headers; a client slower than this is not Prometheus.
    connectionTimeout: 10_000,
    requestTimeout: 10_000,
  });
  registerMetricsRoute(app, metrics, { kind: 'public' });
  const address = await app.listen({ host: listen.host, port: listen.port });
  return { address, close: () => app.close() };
}
