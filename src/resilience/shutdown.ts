import type { FastifyBaseLogger } from 'fastify';
import type { ShutdownConfig } from '../config.js';
import type { Server } from '../server.js';
import type { Lifecycle } from './lifecycle.js';

/** Something to close once no request runs any more: the rate limiter, the database, the cache. */
export interface Closable {
  readonly name: string;
  close(): Promise<void>;
}

export interface ShutdownDeps {
  readonly server: Server;
  readonly lifecycle: Lifecycle;
  /** Closed in this order, after the last in-flight request has answered. */
  readonly resources: readonly Closable[];
  readonly config: ShutdownConfig;
  readonly logger: Pick<FastifyBaseLogger, 'info' | 'warn' | 'error'>;
  /** process.exit, replaceable in tests. */
  readonly exit?: (code: number) => void;
}

/**
 * Graceful shutdown on SIGTERM (and Ctrl-C):
 * 1. /readyz answers 503 "draining" at once, and for `drainDelayMs` the server
 *    still serves, so a load balancer stops sending new requests first;
 * 2. the server stops accepting, and every in-flight operation runs to its end
 *    (a batch mutation is one transaction: it commits or rolls back whole);
 * 3. Apollo, the rate limiter, the pool and Redis are closed; exit 0.
 * Past `graceMs` the process exits 1 with a log line; a transaction still open
 * then dies with its connection and PostgreSQL rolls it back.
 */
export function shutdownOnSignals(deps: ShutdownDeps, signals: readonly NodeJS.Signals[] = ['SIGTERM', 'SIGINT']): void {
  const shutdown = createShutdown(deps);
  for (const signal of signals) process.on(signal, () => void shutdown(signal));
}

export function createShutdown(deps: ShutdownDeps): (reason: string) => Promise<void> {
  const exit = deps.exit ?? ((code: number) => process.exit(code));
  let started = false;
  return async (reason) => {
    if (started) {
      deps.logger.warn(`${reason}: already shutting down`);
      return;
    }
    started = true;
    const startedAt = Date.now();
    deps.logger.info({ graceMs: deps.config.graceMs, drainDelayMs: deps.config.drainDelayMs }, `${reason}: unready, draining, shutting down`);
    deps.lifecycle.startDraining();
    const deadline = setTimeout(() => {
      deps.logger.error({ graceMs: deps.config.graceMs }, 'shutdown grace period over with requests still running: exiting 1');
      exit(1);
    }, deps.config.graceMs);
    try {
      await delay(deps.config.drainDelayMs);
      // Stops accepting; resolves once the in-flight requests have been answered.
      await deps.server.app.close();
      await deps.server.apollo.stop();
      let failed = false;
      for (const resource of deps.resources) {
        await resource.close().catch((error: unknown) => {
          failed = true;
          deps.logger.error({ err: error }, `closing the ${resource.name} failed`);
        });
      }
      clearTimeout(deadline);
      deps.logger.info({ durationMs: Date.now() - startedAt }, failed ? 'shut down with errors' : 'shut down cleanly');
      exit(failed ? 1 : 0);
    } catch (error) {
      clearTimeout(deadline);
      deps.logger.error({ err: error }, 'shutdown failed: exiting 1');
      exit(1);
    }
  };
}

function delay(ms: number): Promise<void> {
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}
