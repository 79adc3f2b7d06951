import type { LatencySummary } from './types.js';

/**
 * Every latency of a timed phase, kept exactly (a few hundred thousand
 * doubles at most): percentiles come from the sorted values, so no histogram
 * library and no bucket rounding is involved. autocannon's own histogram
 * reports p97.5, not p95, and only for 2xx answers.
 */
export class LatencyRecorder {
  private values = new Float64Array(4_096);
  private size = 0;

  record(ms: number): void {
    if (this.size === this.values.length) {
      const grown = new Float64Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.size++] = ms;
  }

  /** Takes every value of `other` (one phase run against several instances). */
  add(other: LatencyRecorder): void {
    for (let i = 0; i < other.size; i += 1) this.record(other.values[i]!);
  }

  get count(): number {
    return this.size;
  }

  summary(): LatencySummary {
    const sorted = this.values.slice(0, this.size).sort();
    let total = 0;
    for (const value of sorted) total += value;
    return {
      p50: percentile(sorted, 50),
      p95: percentile(sorted, 95),
      p99: percentile(sorted, 99),
      max: sorted.length === 0 ? 0 : sorted[sorted.length - 1]!,
      mean: sorted.length === 0 ? 0 : total / sorted.length,
    };
  }
}

/** Nearest-rank percentile of ascending values; 0 for none. */
export function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}
