/**
 * npx tsx tools/batch/measure.ts <file.jsonl> --url <url> --token <batch token> --reader-token <token> --task-id <id>
 *     [--command create-tasks|update-status] [--pg-database <name>] [--server-pid <pid>] [--generate <lines>]
 *     [--readers 4 | --read-rate <reads per second>] [--concurrency 4]
 *
 * The figure of README "Batch clients": the batch client imports the file (a
 * process of its own, as `npm run batch` runs it) while other users read one
 * task by id (W1) in a loop; prints tasks/s, the readers' latency before and
 * during the import, and the CPU each side spent per task: the API process
 * (found by the URL's port unless --server-pid names it), the PostgreSQL
 * backends of --pg-database (and the WAL writer), and the client process.
 * The machine may be shared: CPU per task is the figure to compare across
 * runs, tasks/s only beside the load average. Point it at a server of its
 * own: the import writes. --generate writes <lines> create-tasks lines to the
 * file first (~150 bytes each, a small `options`).
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { CpuMeter, cpuOf, listenerOf, postgresBackends, postgresWalWriter } from './cpu.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    url: { type: 'string', default: 'http://127.0.0.1:4000/graphql' },
    token: { type: 'string' },
    'reader-token': { type: 'string' },
    'task-id': { type: 'string' },
    command: { type: 'string', default: 'create-tasks' },
    readers: { type: 'string', default: '4' },
    'read-rate': { type: 'string' },
    concurrency: { type: 'string', default: '4' },
    'baseline-seconds': { type: 'string', default: '5' },
    'pg-database': { type: 'string' },
    'server-pid': { type: 'string' },
    generate: { type: 'string' },
  },
});
const [file] = positionals;
if (!file || !values.token || !values['reader-token'] || !values['task-id']) {
  console.error(
    'Usage: npx tsx tools/batch/measure.ts <file.jsonl> --url <url> --token <t> --reader-token <t> --task-id <id> [--command create-tasks|update-status] [--pg-database <db>] [--server-pid <pid>] [--generate <lines>] [--readers 4] [--read-rate <n>] [--concurrency 4]',
  );
  process.exit(2);
}

if (values.generate) {
  const styles = ['documentary', 'explainer', 'story', 'news'];
  const priorities = ['LOW', 'NORMAL', 'HIGH', 'URGENT'];
  // A tag of its own per file: another run is another import (new idempotency keys), not a replay.
  const run = randomUUID().slice(0, 8);
  const lines = Array.from({ length: Number(values.generate) }, (_, i) =>
    JSON.stringify({ topic: `How volcanoes form, part ${i + 1} (${run})`, priority: priorities[i % 4], options: { style: styles[i % 4], durationSeconds: 60 + (i % 5) * 30, voice: 'en-US-neutral', captions: i % 2 === 0 } }),
  );
  await writeFile(file, lines.join('\n') + '\n');
}

const W1 = JSON.stringify({ query: 'query W1($id: ID!) { task(id: $id) { id topic status progress updatedAt } }', variables: { id: values['task-id'] } });

const readRate = values['read-rate'] ? Number(values['read-rate']) : undefined;

/**
 * Readers until `until` resolves: each request's latency in ms, and how many
 * failed. Closed loop by default: each of --readers sends its next read when
 * the last is answered, as fast as the server answers. With --read-rate, open
 * loop: a read is sent when it is due, that many per second, whether or not
 * the ones before it were answered (as other users do), and its latency counts
 * from when it was due, so a server that falls behind is charged for the wait
 * (no coordinated omission).
 */
async function readWhile(until: Promise<unknown>): Promise<{ latencies: number[]; failures: number }> {
  let running = true;
  void until.then(() => (running = false));
  const latencies: number[] = [];
  let failures = 0;
  const read = async (started: number) => {
    const response = await fetch(values.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${values['reader-token']}` },
      body: W1,
    }).catch(() => undefined);
    const ok = response?.ok && !((await response.json()) as { errors?: unknown }).errors;
    if (ok) latencies.push(performance.now() - started);
    else failures++;
  };
  if (readRate === undefined) {
    const reader = async () => {
      while (running) await read(performance.now());
    };
    await Promise.all(Array.from({ length: Number(values.readers) }, reader));
  } else {
    const origin = performance.now();
    const inFlight = new Set<Promise<void>>();
    for (let n = 0; running; n++) {
      const due = origin + (n * 1000) / readRate;
      const now = performance.now();
      if (due > now) await sleep(due - now);
      if (!running) break;
      const sent = read(due).finally(() => inFlight.delete(sent));
      inFlight.add(sent);
    }
    await Promise.all(inFlight);
  }
  return { latencies, failures };
}

function percentiles({ latencies, failures }: { latencies: number[]; failures: number }): string {
  const sorted = [...latencies].sort((a, b) => a - b);
  const at = (p: number) => (sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? NaN).toFixed(1);
  return `${sorted.length} reads, p50 ${at(0.5)} ms, p95 ${at(0.95)} ms, p99 ${at(0.99)} ms, ${failures} failed`;
}

const serverPid = values['server-pid'] ? Number(values['server-pid']) : listenerOf(Number(new URL(values.url).port || 80));
let api = new CpuMeter(() => (serverPid ? [serverPid] : []));
const database = values['pg-database'];
const backends = new CpuMeter(() => (database ? postgresBackends(database) : []));
const walWriter = new CpuMeter(postgresWalWriter);

// The API's CPU per read, alone: what the readers cost it during the import is taken off the import's share.
// A second of reads first, unmeasured: a server started just now compiles its read path meanwhile.
await readWhile(new Promise((resolve) => setTimeout(resolve, 1_000)));
api.sample(true);
const baseline = await readWhile(new Promise((resolve) => setTimeout(resolve, Number(values['baseline-seconds']) * 1000)));
api.sample();
const apiMsPerRead = baseline.latencies.length > 0 ? api.ms / baseline.latencies.length : 0;
const readMode = readRate === undefined ? `${values.readers} readers, closed loop` : `${readRate} reads/s, open loop`;
console.log(`readers alone (${readMode}): ${percentiles(baseline)} (API ${(apiMsPerRead * 1000).toFixed(0)} µs CPU per read)`);

api = new CpuMeter(() => (serverPid ? [serverPid] : []));
const meters = [api, backends, walWriter];
for (const meter of meters) meter.sample(true);
const self = cpuOf('self')!;
const started = performance.now();
const child = spawn(
  process.execPath,
  ['--import', 'tsx', new URL('./main.ts', import.meta.url).pathname, values.command, file, '--url', values.url, '--concurrency', values.concurrency],
  { env: { ...process.env, ARYA_TOKEN: values.token }, stdio: ['ignore', 'pipe', 'inherit'] },
);
let summary = '';
child.stdout.on('data', (chunk: Buffer) => (summary += chunk.toString()));
const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
// Backends may come and go (the pool's lifetime): sampled as the import runs, not only at its ends.
const sampler = setInterval(() => meters.forEach((meter) => meter.sample()), 1_000);
const load = loadavg()[0]!;
const during = await readWhile(exited);
// With --readers 0 the loop above ends at once.
await exited;
const seconds = (performance.now() - started) / 1000;
clearInterval(sampler);
for (const meter of meters) meter.sample();
const after = cpuOf('self')!;

const changed = Number(/(?:created|updated): ([\d,]+)/.exec(summary)?.[1]?.replaceAll(',', '') ?? 0);
// An estimate: the readers' requests at their cost per read alone (a loaded machine makes it rough).
const importShare = api.ms - apiMsPerRead * during.latencies.length;
const perTask = (ms: number) => (changed > 0 ? `${((ms * 1000) / changed).toFixed(1)} µs/task` : '–');
console.log(summary.trim());
console.log(`readers during import: ${percentiles(during)}`);
console.log(
  `import: ${changed.toLocaleString('en')} tasks in ${seconds.toFixed(1)} s = ${Math.round(changed / seconds).toLocaleString('en')} tasks/s (exit ${await exited}; load average ${load.toFixed(2)} at the start, ${loadavg()[0]!.toFixed(2)} at the end)`,
);
console.log(
  [
    `CPU per task: API ${serverPid ? `${perTask(api.ms)}, ${importShare > 0 ? `~${perTask(importShare)}` : '?'} without the readers' requests` : '(no --server-pid and no listener found)'}`,
    `PostgreSQL ${database ? `${perTask(backends.ms)} (+ WAL writer ${perTask(walWriter.ms)})` : '(no --pg-database)'}`,
    `client ${perTask(after.children - self.children)}`,
    `readers ${perTask(after.own - self.own)}`,
  ].join(' · '),
);
