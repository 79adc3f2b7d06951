import { describe, expect, it } from 'vitest';
import { expensiveThresholds } from '../../src/resilience/rate-limit-hook.js';
import { createRateLimiter } from '../../src/resilience/rate-limiter.js';

/** Windows of 10 s and budgets of 100 units: a debt is counted in whole windows. */
const limiter = () => createRateLimiter({ points: 100, anonymousPoints: 100, windowSeconds: 10, registrationKibPerHour: 1, expensiveInFlight: 2 });

describe('a charge past the budget', () => {
  it('is within the budget: nothing owed, the subject is not refused', async () => {
    const budget = limiter();
    const subject = { kind: 'viewer', id: 'within' } as const;
    expect(await budget.consume(subject, 1)).toEqual({ allowed: true });
    expect(await budget.charge(subject, 99)).toEqual({ allowed: true });
  });

  it('refuses the subject for the rest of the window when it owes less than a budget', async () => {
    const budget = limiter();
    const subject = { kind: 'viewer', id: 'short' } as const;
    await budget.consume(subject, 1);
    const owed = await budget.charge(subject, 150);
    expect(owed).toMatchObject({ allowed: false });
    expect((owed as { retryAfterSeconds: number }).retryAfterSeconds).toBeLessThanOrEqual(10);
    expect(await budget.consume(subject, 1)).toMatchObject({ allowed: false });
  });

  it('carries a debt of whole budgets into as many windows more: 251 units past a budget of 100 owe two', async () => {
    const budget = limiter();
    const subject = { kind: 'ip', ip: '10.20.0.1' } as const;
    await budget.consume(subject, 1);
    const owed = await budget.charge(subject, 350);
    const refused = await budget.consume(subject, 1);

    // The rest of this window (up to 10 s) and two more: more than 20 s, at most 30.
    for (const answer of [owed, refused]) {
      expect(answer).toMatchObject({ allowed: false });
      expect((answer as { retryAfterSeconds: number }).retryAfterSeconds).toBeGreaterThan(20);
      expect((answer as { retryAfterSeconds: number }).retryAfterSeconds).toBeLessThanOrEqual(30);
    }
  });

  it('adds a later charge to what is left of the debt', async () => {
    const budget = limiter();
    const subject = { kind: 'viewer', id: 'twice' } as const;
    await budget.consume(subject, 1);
    await budget.charge(subject, 150);
    // Blocked at 101; 200 more owe two windows beyond the block's own.
    const owed = await budget.charge(subject, 200);
    expect((owed as { retryAfterSeconds: number }).retryAfterSeconds).toBeGreaterThan(20);
  });
});

describe('what makes a request expensive', () => {
  it('is measured against the viewer budget: 4 KiB and 1,000 units at the default 10,000, in proportion otherwise', () => {
    expect(expensiveThresholds(10_000)).toEqual({ bodyBytes: 4_096, heavyUnits: 1_000 });
    expect(expensiveThresholds(1_000_000_000)).toEqual({ bodyBytes: 409_600_000, heavyUnits: 100_000_000 });
  });
});
