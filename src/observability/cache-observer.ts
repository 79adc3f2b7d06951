import type { CacheObserver } from '../cache/cache.js';
import type { CircuitState as BreakerState } from '../cache/circuit-breaker.js';
import { CircuitState, type Metrics } from './metrics.js';

const CIRCUIT_VALUES: Record<BreakerState, (typeof CircuitState)[keyof typeof CircuitState]> = {
  closed: CircuitState.closed,
  open: CircuitState.open,
  'half-open': CircuitState.halfOpen,
};

/** The cache's reports, recorded as Prometheus metrics. */
export function cacheMetricsObserver(metrics: Metrics): CacheObserver {
  return {
    lookup(namespace, layer, result, count) {
      if (count > 0) metrics.cache.requests.inc({ namespace, layer, result }, count);
    },
    error: () => metrics.cache.errors.inc(),
    circuit: (state) => metrics.cache.circuitState.set(CIRCUIT_VALUES[state]),
  };
}
