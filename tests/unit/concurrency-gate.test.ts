import { describe, expect, it } from 'vitest';
import { ConcurrencyGate, GateTimeoutError } from '../../src/resilience/concurrency-gate.js';

describe('ConcurrencyGate', () => {
  it('admits up to its limit at once and counts the holders', async () => {
    const gate = new ConcurrencyGate(2);
    const releases = [await gate.acquire(0), await gate.acquire(0)];
    expect(gate.running).toBe(2);
    releases.forEach((release) => release());
    expect(gate.running).toBe(0);
  });

  it('refuses at once when full and the caller will not wait', async () => {
    const gate = new ConcurrencyGate(1);
    await gate.acquire(0);
    await expect(gate.acquire(0)).rejects.toBeInstanceOf(GateTimeoutError);
  });

  it('hands a released slot to the longest waiter, in arrival order', async () => {
    const gate = new ConcurrencyGate(1);
    const release = await gate.acquire(0);
    const admitted: string[] = [];
    const first = gate.acquire(1_000).then((r) => (admitted.push('first'), r));
    const second = gate.acquire(1_000).then((r) => (admitted.push('second'), r));
    expect(gate.waiting).toBe(2);
    release();
    (await first)();
    (await second)();
    expect(admitted).toEqual(['first', 'second']);
    expect(gate.running).toBe(0);
    expect(gate.waiting).toBe(0);
  });

  it('gives up on a waiter after its wait and forgets it', async () => {
    const gate = new ConcurrencyGate(1);
    const release = await gate.acquire(0);
    const startedAt = performance.now();
    await expect(gate.acquire(50)).rejects.toBeInstanceOf(GateTimeoutError);
    expect(performance.now() - startedAt).toBeGreaterThanOrEqual(45);
    expect(gate.waiting).toBe(0);
    release();
    expect(gate.running).toBe(0);
  });

  it('frees a slot once however often it is released', async () => {
    const gate = new ConcurrencyGate(1);
    const release = await gate.acquire(0);
    release();
    const next = await gate.acquire(0);
    release();
    expect(gate.running).toBe(1);
    next();
    expect(gate.running).toBe(0);
  });
});
