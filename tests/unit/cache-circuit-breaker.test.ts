import { describe, expect, it } from 'vitest';
import { CacheUnavailableError, CircuitBreaker, type CircuitState } from '../../src/cache/circuit-breaker.js';

/** A breaker on a clock the test moves, recording every state it enters. */
function breaker(failureThreshold = 3, cooldownMs = 1_000) {
  let now = 0;
  const states: CircuitState[] = [];
  const circuit = new CircuitBreaker({ failureThreshold, cooldownMs, onStateChange: (state) => states.push(state), now: () => now });
  return { circuit, states, advance: (ms: number) => (now += ms) };
}

const succeed = () => Promise.resolve('answered');
const fail = () => Promise.reject(new Error('ECONNREFUSED'));

/** Runs a failing call and swallows its error, as the cache does. */
async function failOnce(circuit: CircuitBreaker): Promise<unknown> {
  return circuit.run(fail).catch((error: unknown) => error);
}

describe('the cache circuit breaker', () => {
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

  it('opens on the threshold-th consecutive failure, passing that failure on', async () => {
    const { circuit, states } = breaker(3);

    await failOnce(circuit);
    await failOnce(circuit);
    const third = await failOnce(circuit);

    expect((third as Error).message).toBe('ECONNREFUSED');
    expect(circuit.current).toBe('open');
    expect(states).toEqual(['open']);
  });

  it('skips calls while open, without making them, until the cooldown has passed', async () => {
    const { circuit, advance } = breaker(1, 1_000);
    await failOnce(circuit);
    let calls = 0;

    advance(999);
    const skipped = await circuit.run(async () => (calls += 1)).catch((error: unknown) => error);

    expect(skipped).toBeInstanceOf(CacheUnavailableError);
    expect(calls).toBe(0);
    expect(circuit.current).toBe('open');
  });

  it('lets one trial through after the cooldown (half-open), and closes when it succeeds', async () => {
    const { circuit, states, advance } = breaker(1, 1_000);
    await failOnce(circuit);
    advance(1_000);

    const answer = await circuit.run(succeed);

    expect(answer).toBe('answered');
    expect(circuit.current).toBe('closed');
    expect(states).toEqual(['open', 'half-open', 'closed']);
  });

  it('reopens for a whole new cooldown when the trial fails', async () => {
    const { circuit, states, advance } = breaker(3, 1_000);
    for (let i = 0; i < 3; i += 1) await failOnce(circuit);
    advance(1_500);

    await failOnce(circuit);
    advance(999);
    const skipped = await circuit.run(succeed).catch((error: unknown) => error);
    advance(1);
    const trial = await circuit.run(succeed);

    expect(skipped).toBeInstanceOf(CacheUnavailableError);
    expect(trial).toBe('answered');
    expect(states).toEqual(['open', 'half-open', 'open', 'half-open', 'closed']);
  });

  it('skips every other call while the one trial is in flight', async () => {
    const { circuit, advance } = breaker(1, 1_000);
    await failOnce(circuit);
    advance(1_000);
    let answer!: (value: string) => void;

    const trial = circuit.run(() => new Promise<string>((resolve) => (answer = resolve)));
    const meanwhile = await circuit.run(succeed).catch((error: unknown) => error);
    answer('trial answered');

    expect(meanwhile).toBeInstanceOf(CacheUnavailableError);
    expect(await trial).toBe('trial answered');
    expect(circuit.current).toBe('closed');
  });
});
