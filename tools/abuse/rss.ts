import { parsePrometheusText } from '../bench/metrics.js';

export interface RssWatch {
  /** Stops sampling; the highest resident set seen, in bytes (0: no sample answered). */
  stop(): Promise<number>;
}

const SAMPLE_EVERY_MS = 250;

/**
 * The server's resident set, read from its own process_resident_memory_bytes
 * every 250 ms; past `capBytes`, `onCap` is called once (the bench stops the
 * attack rather than let the machine run out of memory).
 */
export function watchRss(metricsUrl: string, token: string, capBytes: number, onCap: () => void): RssWatch {
  let peak = 0;
  let capped = false;
  let running = true;
  const loop = (async () => {
    while (running) {
      const started = performance.now();
      try {
        const response = await fetch(metricsUrl, { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(5_000) });
        const rss = parsePrometheusText(await response.text()).samples.find((s) => s.name === 'process_resident_memory_bytes')?.value ?? 0;
        peak = Math.max(peak, rss);
        if (rss > capBytes && !capped) {
          capped = true;
          onCap();
        }
      } catch {
        // A server too busy to answer within 5 s: the next sample will tell.
      }
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, SAMPLE_EVERY_MS - (performance.now() - started))));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return peak;
    },
  };
}
