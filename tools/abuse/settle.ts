/** Answers in a row, each within QUICK_MS, that count as a server done with what an attack left queued. */
const QUICK_IN_A_ROW = 3;
const QUICK_MS = 250;
const SETTLE_LIMIT_MS = 60_000;

/**
 * Waits until the server answers /healthz promptly again: an attacker's
 * requests still queued when it stops would otherwise be measured as the
 * next phase's well-behaved throughput. Answers how long it took, or
 * undefined if the server did not settle within a minute.
 */
export async function settle(origin: string): Promise<number | undefined> {
  const started = performance.now();
  let quick = 0;
  while (performance.now() - started < SETTLE_LIMIT_MS) {
    const sent = performance.now();
    try {
      const response = await fetch(`${origin}/healthz`, { signal: AbortSignal.timeout(5_000) });
      await response.arrayBuffer();
      quick = response.ok && performance.now() - sent < QUICK_MS ? quick + 1 : 0;
    } catch {
      quick = 0;
    }
    if (quick >= QUICK_IN_A_ROW) return performance.now() - started;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return undefined;
}
