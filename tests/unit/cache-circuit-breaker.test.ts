import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CacheUnavailableError, CircuitBreaker, type CircuitState } from '../../src/cache/circuit-breaker.js';

/** A breaker whose background probe the test answers, recording every state it enters. */
function breaker(failureThreshold = 3, cooldownMs = 1_000) {
  const states: CircuitState[] = [];
  const probes: { answer: () => void; fail: () => void }[] = [];
  const probe = () =>
    new Promise<void>((resolve, reject) => probes.push({ answer: resolve, fail: () => reject(new Error('ETIMEDOUT')) }));
  const circuit = new CircuitBreaker({ failureThreshold, cooldownMs, probe, onStateChange: (state) => states.push(state) });
  return { circuit, states, probes };
}

const succeed = () => Promise.resolve('answered');
const fail = () => Promise.reject(new Error('Command timed out'));

/** Runs a failing call and swallows its error, as the cache does. */
async function failOnce(circuit: CircuitBreaker): Promise<unknown> {
  return circuit.run(fail).catch((error: unknown) => error);
}

describe('the cache circuit breaker', () => {
  beforeEach(() => void vi.useFakeTimers());
  afterEach(() => void vi.useRealTimers());

  it('stays closed below the threshold of consecutive failures, and a success resets the count', async () => {
    const { circuit, states } = breaker(3);

    await failOnce(circuit);
    await failOnce(circuit);
    await circuit.run(succeed);
    await failOnce(circuit);
    await failOnce(circuit);

    expect(circuit.current).toBe('closed');
    expect(states).toEqual([]);
  });

  it('opens on the threshold-th consecutive failure (a command timeout counts), passing that failure on', async () => {
    const { circuit, states } = breaker(3);

    await failOnce(circuit);
    await failOnce(circuit);
    const third = await failOnce(circuit);

    expect((third as Error).message).toBe('Command timed out');
    expect(circuit.current).toBe('open');
    expect(states).toEqual(['open']);
  });

  it('while open, makes no call at all and refuses at once, before and after the cooldown', async () => {
    const { circuit } = breaker(1, 1_000);
    await failOnce(circuit);
    let calls = 0;
    const attempt = () => circuit.run(async () => (calls += 1)).catch((error: unknown) => error);

    const before = await attempt();
    await vi.advanceTimersByTimeAsync(1_000);
    // The probe is in flight now (half-open): callers still neither call nor wait for it.
    const during = await attempt();

    expect([before, during]).toEqual([expect.any(CacheUnavailableError), expect.any(CacheUnavailableError)]);
    expect(calls).toBe(0);
  });

  it('tries Redis in the background once per cooldown, and closes when the probe answers', async () => {
    const { circuit, states, probes } = breaker(1, 1_000);
    await failOnce(circuit);

    await vi.advanceTimersByTimeAsync(999);
    expect(probes).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(probes).toHaveLength(1);
    probes[0]!.answer();
    await vi.advanceTimersByTimeAsync(0);

    expect(circuit.current).toBe('closed');
    expect(await circuit.run(succeed)).toBe('answered');
    expect(states).toEqual(['open', 'half-open', 'closed']);
  });

  it('stays open for a whole new cooldown when the probe fails', async () => {
    const { circuit, states, probes } = breaker(3, 1_000);
    for (let i = 0; i < 3; i += 1) await failOnce(circuit);
    await vi.advanceTimersByTimeAsync(1_000);

    probes[0]!.fail();
    await vi.advanceTimersByTimeAsync(999);
    expect(probes).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    probes[1]!.answer();
    await vi.advanceTimersByTimeAsync(0);

    expect(states).toEqual(['open', 'half-open', 'open', 'half-open', 'closed']);
  });

  it('is not closed by a late answer to a call made before it opened: only the probe closes it', async () => {
    const { circuit } = breaker(1, 1_000);
    let answer!: (value: string) => void;
    const early = circuit.run(() => new Promise<string>((resolve) => (answer = resolve)));

    await failOnce(circuit);
    answer('late');

    expect(await early).toBe('late');
    expect(circuit.current).toBe('open');
  });

  it('probes no more once stopped', async () => {
    const { circuit, probes } = breaker(1, 1_000);
    await failOnce(circuit);

    circuit.stop();
    await vi.advanceTimersByTimeAsync(5_000);

    expect(probes).toHaveLength(0);
    expect(circuit.current).toBe('open');
  });
});
