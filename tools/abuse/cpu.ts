import { parsePrometheusText } from '../bench/metrics.js';

/** The server's CPU time so far (user + system), in seconds, from its own process_cpu_seconds_total. */
export async function serverCpuSeconds(metricsUrl: string, token: string): Promise<number> {
  const response = await fetch(metricsUrl, { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(10_000) });
  return parsePrometheusText(await response.text()).samples.find((s) => s.name === 'process_cpu_seconds_total')?.value ?? Number.NaN;
}
