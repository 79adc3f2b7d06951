export type CircuitState = 'closed' | 'open' | 'half-open';

/** Consecutive failures that open a circuit, and how long it stays open before a trial, in ms. */
export const DEFAULT_FAILURE_THRESHOLD = 3;
export const DEFAULT_COOLDOWN_MS = 1_000;

export interface CircuitBreakerOptions {
  /** Consecutive failures (errors and command timeouts alike) that open the circuit. */
  readonly failureThreshold: number;
  /** How long an open circuit waits before each background trial, in ms. */
  readonly cooldownMs: number;
  /** The trial call (a PING): made in the background, never by a caller, so that no request waits for it. */
  readonly probe: () => Promise<unknown>;
  readonly onStateChange?: (state: CircuitState) => void;
}

export class CacheUnavailableError extends Error {
  constructor() {
    super('the cache circuit is open');
    this.name = 'CacheUnavailableError';
  }
}

/**
 * Keeps a dead or stalled Redis from costing every request a timeout: after a
 * few consecutive failures the circuit opens, and until it closes no call is
 * made: each fails at once, without a command sent or awaited. Every cooldown
 * a background probe tries Redis (half-open); its success closes the circuit,
 * its failure keeps it open for another cooldown. A stalled Redis thus costs
 * the requests in flight when it stalled one timeout each, and nothing after.
 */
export class CircuitBreaker {
  private state: CircuitState = 'closed';
  private failures = 0;
  private probeTimer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(private readonly options: CircuitBreakerOptions) {}

  get current(): CircuitState {
    return this.state;
  }

  async run<T>(call: () => Promise<T>): Promise<T> {
    if (this.state !== 'closed') throw new CacheUnavailableError();
    try {
      const result = await call();
      // A late answer to a call made before the circuit opened proves little: only the probe closes it.
      if (this.state === 'closed') this.failures = 0;
      return result;
    } catch (error) {
      this.failures += 1;
      if (this.state === 'closed' && this.failures >= this.options.failureThreshold) this.open();
      throw error;
    }
  }

  /** No more probes (shutdown). */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.probeTimer);
  }

  private open(): void {
    this.transition('open');
    if (this.stopped) return;
    this.probeTimer = setTimeout(() => void this.probe(), this.options.cooldownMs);
    this.probeTimer.unref();
  }

  private async probe(): Promise<void> {
    this.transition('half-open');
    try {
      await this.options.probe();
    } catch {
      this.open();
      return;
    }
    this.failures = 0;
    this.transition('closed');
  }

  private transition(state: CircuitState): void {
    this.state = state;
    this.options.onStateChange?.(state);
  }
}
