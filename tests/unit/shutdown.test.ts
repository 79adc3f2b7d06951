import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { Lifecycle } from '../../src/resilience/lifecycle.js';
import { createShutdown, type ShutdownDeps } from '../../src/resilience/shutdown.js';
import type { Server } from '../../src/server.js';

/** A server whose close takes `closeMs`, recording what happened in order. */
function fakes(closeMs: number, config = { graceMs: 1_000, drainDelayMs: 0 }) {
  const events: string[] = [];
  const lifecycle = new Lifecycle();
  let exit!: (code: number) => void;
  const exited = new Promise<number>((resolve) => (exit = resolve));
  const deps: ShutdownDeps = {
    server: {
      app: { close: async () => (events.push(`close app (draining: ${lifecycle.draining})`), await sleep(closeMs)) },
      apollo: { stop: async () => void events.push('stop apollo') },
    } as unknown as Server,
    lifecycle,
    resources: ['rate limiter', 'database', 'cache'].map((name) => ({ name, close: async () => void events.push(`close ${name}`) })),
    config,
    logger: { info: () => undefined, warn: () => undefined, error: (...args: unknown[]) => void events.push(`log: ${String(args.at(-1))}`) },
    exit,
  };
  return { deps, events, exited, lifecycle };
}

describe('shutdown', () => {
  it('goes unready first, then closes the server, Apollo and each resource in order, and exits 0', async () => {
    const { deps, events, exited } = fakes(10);
    void createShutdown(deps)('SIGTERM');
    expect(await exited).toBe(0);
    expect(events).toEqual(['close app (draining: true)', 'stop apollo', 'close rate limiter', 'close database', 'close cache']);
  });

  it('exits 1 with a log line when the in-flight work outlasts the grace period', async () => {
    const { deps, events, exited } = fakes(500, { graceMs: 50, drainDelayMs: 0 });
    void createShutdown(deps)('SIGTERM');
    expect(await exited).toBe(1);
    expect(events).toContainEqual(expect.stringContaining('grace period over'));
  });

  it('keeps serving, unready, through the drain delay before it stops accepting', async () => {
    const { deps, events, exited, lifecycle } = fakes(0, { graceMs: 1_000, drainDelayMs: 100 });
    void createShutdown(deps)('SIGTERM');
    await sleep(50);
    expect(lifecycle.draining).toBe(true);
    expect(events).toEqual([]);
    expect(await exited).toBe(0);
  });

  it('runs once however many signals arrive', async () => {
    const { deps, events, exited } = fakes(20);
    const shutdown = createShutdown(deps);
    void shutdown('SIGTERM');
    void shutdown('SIGINT');
    expect(await exited).toBe(0);
    expect(events.filter((event) => event.startsWith('close app'))).toHaveLength(1);
  });
});
