export type CircuitState = 'closed' | 'open' | 'half-open';

export interface CircuitBreakerOptions {
  /** Consecutive failures that open the circuit. */
  readonly failureThreshold: number;
  /** How long an open circuit skips the cache before one trial call, in ms. */
  readonly cooldownMs: number;
  readonly onStateChange?: (state: CircuitState) => void;
  readonly now?: () => number;
}

export class CacheUnavailableError extends Error {
  constructor() {
    super('the cache circuit is open');
    this.name = 'CacheUnavailableError';
  }
}

/**
 * Keeps a dead or slow Redis from costing every request a timeout: after a
 * few consecutive failures the circuit opens and calls fail at once; after the
 * cooldown one call is let through (half-open), and its success closes it.
 */
export class CircuitBreaker {
  private state: CircuitState = 'closed';
  private failures = 0;
  private openedAt = 0;
  private trialInFlight = false;
  private readonly now: () => number;

  constructor(private readonly options: CircuitBreakerOptions) {
    this.now = options.now ?? Date.now;
  }

  get current(): CircuitState {
    return this.state;
  }

  async run<T>(call: () => Promise<T>): Promise<T> {
    if (this.state === 'open') {
      if (this.now() - this.openedAt < this.options.cooldownMs) throw new CacheUnavailableError();
      this.transition('half-open');
    } else if (this.state === 'half-open' && this.trialInFlight) {
      // One trial at a time: the rest skip the cache until it has answered.
      throw new CacheUnavailableError();
    }
    const trial = this.state === 'half-open';
    if (trial) this.trialInFlight = true;
    try {
      const result = await call();
      this.failures = 0;
      if (this.state !== 'closed') this.transition('closed');
      return result;
    } catch (error) {
      this.failures += 1;
      if (trial || this.failures >= this.options.failureThreshold) {
        this.openedAt = this.now();
        this.transition('open');
      }
      throw error;
    } finally {
      if (trial) this.trialInFlight = false;
    }
  }

  private transition(state: CircuitState): void {
    this.state = state;
    this.options.onStateChange?.(state);
  }
}
