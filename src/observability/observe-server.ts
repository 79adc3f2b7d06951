import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import type { Config } from '../config.js';
import type { DatabaseHandle } from '../db/connect.js';
import type { SqlTracker } from '../db/sql-tracker.js';
import { createGraphqlMetrics } from './graphql-metrics.js';
import { mainListenerAccess, registerMetricsRoute } from './metrics-endpoint.js';
import type { Metrics } from './metrics.js';
import { logSqlStatements } from './sql-log.js';

export interface ObservedServerDeps {
  readonly config: Config;
  readonly database: DatabaseHandle;
  readonly tracker: SqlTracker;
  readonly logger: FastifyBaseLogger;
  readonly metrics: Metrics;
}

/**
 * Everything a server reports about itself: GET /metrics (as configured: see
 * metrics-endpoint.ts), request and SQL metrics, the slow-query log.
 */
export function observeServer(app: FastifyInstance, deps: ObservedServerDeps): void {
  const { metrics } = deps;
  metrics.db.watchPool(deps.database.poolStats);

  const stopSqlMetrics = deps.tracker.subscribe((event) => {
    metrics.sql.statementDuration.observe(event.durationMs / 1000);
    metrics.sql.statements.inc({ outcome: event.failed ? 'error' : 'ok' });
  });
  const stopSqlLog = logSqlStatements(deps.tracker, deps.logger, deps.config);
  // The tracker outlives the server in tests (and its database may be reused): let go of it.
  app.addHook('onClose', async () => {
    stopSqlMetrics();
    stopSqlLog();
  });

  const graphql = createGraphqlMetrics(metrics);
  // With a trusted-documents manifest, every name that runs is one of ours.
  const everyNameTrusted = deps.config.trustedDocuments !== undefined;
  app.addHook('onResponse', async (request, reply) => {
    // Only /graphql sets sqlStats; Sandbox's landing page is a page view, not an operation.
    if (!request.sqlStats || String(reply.getHeader('content-type')).startsWith('text/html')) return;
    // Anyone may send any name: only a signed-in viewer's take a label of their own.
    const signedIn = (await request.viewer?.catch(() => null)) != null;
    graphql.observe(request, reply, everyNameTrusted || signedIn);
  });

  registerMetricsRoute(app, metrics, mainListenerAccess(deps.config.metrics));
}
