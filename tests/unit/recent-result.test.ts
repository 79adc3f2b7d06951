import { describe, expect, it } from 'vitest';
import { recentResult } from '../../src/resilience/health.js';

describe('a recent result', () => {
  it('answers from a check at most maxAge old, and shares a running check however long it runs', async () => {
    let clock = 0;
    let checks = 0;
    let release: (value: number) => void = () => {};
    const latest = recentResult(1_000, () => new Promise<number>((resolve) => ((checks += 1), (release = resolve))), () => clock);

    const first = latest();
    clock = 5_000; // a check stalled past maxAge is still shared, not doubled
    const second = latest();
    expect(checks).toBe(1);
    release(1);
    expect([await first, await second]).toEqual([1, 1]);

    // The settled check started at 0: at 5,000 it is too old.
    const third = latest();
    expect(checks).toBe(2);
    release(2);
    expect(await third).toBe(2);
    clock = 6_000;
    expect(await latest()).toBe(2);
    expect(checks).toBe(2);
    clock = 6_001;
    void latest();
    expect(checks).toBe(3);
  });
});
