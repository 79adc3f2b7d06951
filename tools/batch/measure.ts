/**
 * npx tsx tools/batch/measure.ts <file.jsonl> --url <url> --token <batch token> --reader-token <token> --task-id <id>
 *
 * The figure of README "Batch clients": the batch client imports the file (a
 * process of its own, as `npm run batch` runs it) while other users read one
 * task by id (W1) in a loop; prints tasks/s and the readers' latency before
 * and during the import. Point it at a server of its own: the import writes.
 */
import { spawn } from 'node:child_process';
import { parseArgs } from 'node:util';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    url: { type: 'string', default: 'http://127.0.0.1:4000/graphql' },
    token: { type: 'string' },
    'reader-token': { type: 'string' },
    'task-id': { type: 'string' },
    readers: { type: 'string', default: '4' },
    concurrency: { type: 'string', default: '4' },
    'baseline-seconds': { type: 'string', default: '5' },
  },
});
const [file] = positionals;
if (!file || !values.token || !values['reader-token'] || !values['task-id']) {
  console.error('Usage: npx tsx tools/batch/measure.ts <file.jsonl> --url <url> --token <t> --reader-token <t> --task-id <id> [--readers 4] [--concurrency 4]');
  process.exit(2);
}

const W1 = JSON.stringify({ query: 'query W1($id: ID!) { task(id: $id) { id topic status progress updatedAt } }', variables: { id: values['task-id'] } });

/** Readers in a loop until `until` resolves: each request's latency in ms, and how many failed. */
async function readWhile(until: Promise<unknown>): Promise<{ latencies: number[]; failures: number }> {
  let running = true;
  void until.then(() => (running = false));
  const latencies: number[] = [];
  let failures = 0;
  const reader = async () => {
    while (running) {
      const started = performance.now();
      const response = await fetch(values.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${values['reader-token']}` },
        body: W1,
      }).catch(() => undefined);
      const ok = response?.ok && !((await response.json()) as { errors?: unknown }).errors;
      if (ok) latencies.push(performance.now() - started);
      else failures++;
    }
  };
  await Promise.all(Array.from({ length: Number(values.readers) }, reader));
  return { latencies, failures };
}

function percentiles({ latencies, failures }: { latencies: number[]; failures: number }): string {
  const sorted = [...latencies].sort((a, b) => a - b);
  const at = (p: number) => (sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? NaN).toFixed(1);
  return `${sorted.length} reads, p50 ${at(0.5)} ms, p95 ${at(0.95)} ms, p99 ${at(0.99)} ms, ${failures} failed`;
}

const baseline = await readWhile(new Promise((resolve) => setTimeout(resolve, Number(values['baseline-seconds']) * 1000)));
console.log(`readers alone:        ${percentiles(baseline)}`);

const started = performance.now();
const child = spawn(
  process.execPath,
  ['--import', 'tsx', new URL('./main.ts', import.meta.url).pathname, 'create-tasks', file, '--url', values.url, '--concurrency', values.concurrency],
  { env: { ...process.env, ARYA_TOKEN: values.token }, stdio: ['ignore', 'pipe', 'inherit'] },
);
let summary = '';
child.stdout.on('data', (chunk: Buffer) => (summary += chunk.toString()));
const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
const during = await readWhile(exited);
const seconds = (performance.now() - started) / 1000;
const created = Number(/created: ([\d,]+)/.exec(summary)?.[1]?.replaceAll(',', '') ?? 0);
console.log(summary.trim());
console.log(`readers during import: ${percentiles(during)}`);
console.log(`import: ${created.toLocaleString('en')} tasks in ${seconds.toFixed(1)} s = ${Math.round(created / seconds).toLocaleString('en')} tasks/s (exit ${await exited})`);
