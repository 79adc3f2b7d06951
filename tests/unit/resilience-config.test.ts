import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { problemsOf } from '../helpers/config-problems.js';

describe('resilience settings', () => {
  it('default to the guide semaphore of 50, a 1 s wait, budgets of a fair share (a tenth of a core a viewer) and a 10 s grace period', () => {
    expect(loadConfig({})).toMatchObject({
      databaseGate: { maxConcurrent: 50, queueTimeoutMs: 1_000 },
      rateLimit: { points: 10_000, anonymousPoints: 1_000, windowSeconds: 1, registrationKibPerHour: 256 },
      shutdown: { graceMs: 10_000, drainDelayMs: 0 },
    });
  });

  it('give production a drain delay so load balancers see /readyz go unready before the server stops accepting', () => {
    const production = loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(32), DATABASE_URL: 'postgres://db/arya' });
    expect(production.shutdown.drainDelayMs).toBe(3_000);
  });

  it('reads every variable', () => {
    const config = loadConfig({
      DB_MAX_CONCURRENT: '10',
      DB_QUEUE_TIMEOUT_MS: '1',
      RATE_LIMIT_POINTS: '500',
      RATE_LIMIT_ANONYMOUS_POINTS: '50',
      RATE_LIMIT_WINDOW_S: '10',
      RATE_LIMIT_EXPENSIVE_IN_FLIGHT: '3',
      SHUTDOWN_GRACE_MS: '30000',
      SHUTDOWN_DRAIN_DELAY_MS: '5000',
    });
    expect(config.databaseGate).toEqual({ maxConcurrent: 10, queueTimeoutMs: 1 });
    expect(config.rateLimit).toEqual({ points: 500, anonymousPoints: 50, windowSeconds: 10, registrationKibPerHour: 256, expensiveInFlight: 3 });
    expect(config.shutdown).toEqual({ graceMs: 30_000, drainDelayMs: 5_000 });
  });

  it('names each invalid variable', () => {
    const problems = problemsOf({
      DB_MAX_CONCURRENT: '0',
      DB_QUEUE_TIMEOUT_MS: '0',
      RATE_LIMIT_POINTS: '1.5',
      RATE_LIMIT_ANONYMOUS_POINTS: 'many',
      RATE_LIMIT_WINDOW_S: '0',
      SHUTDOWN_GRACE_MS: '0',
    });
    for (const name of ['DB_MAX_CONCURRENT', 'DB_QUEUE_TIMEOUT_MS', 'RATE_LIMIT_POINTS', 'RATE_LIMIT_ANONYMOUS_POINTS', 'RATE_LIMIT_WINDOW_S', 'SHUTDOWN_GRACE_MS']) {
      expect(problems, name).toContainEqual(expect.stringContaining(name));
    }
  });

  it('refuses a drain delay that would use up the grace period', () => {
    expect(problemsOf({ SHUTDOWN_GRACE_MS: '1000', SHUTDOWN_DRAIN_DELAY_MS: '1000' })).toEqual([expect.stringContaining('SHUTDOWN_DRAIN_DELAY_MS')]);
  });
});
