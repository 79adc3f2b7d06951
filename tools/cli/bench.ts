/**
 * npm run bench -- [--url http://host:port/graphql[,http://host2:port/graphql...]] [--connections 32] [--duration 10]
 *   [--warmup 3] [--workloads W1,W2,...] [--cache on|off|both] [--out bench-results]
 *   [--compare <earlier.json>] [--check]
 *
 * Reproduces the workloads of DESIGN.md against the database of the
 * environment (DATABASE_URL, or the embedded one), prints a table, and writes
 * JSON, Markdown and SVG under --out. See tools/bench/runner.ts.
 */
import { parseArgs } from 'node:util';
import { cacheRatios, compareReports, evaluateKpis } from '../bench/compare.js';
import { readReport, writeReportFiles } from '../bench/report/files.js';
import { renderKpis, renderRatios, renderReport } from '../bench/report/terminal.js';
import { runBench } from '../bench/runner.js';
import { targetsOf } from '../bench/targets.js';
import { WORKLOAD_IDS, type WorkloadId } from '../bench/types.js';
import { UsageError, runCommand } from './run-command.js';

const USAGE = `Usage: npm run bench -- [--url <http://host:port/graphql>[,<url>...]] [--connections 32] [--duration 10] [--warmup 3]
  [--workloads ${WORKLOAD_IDS.join(',')}] [--cache on|off|both] [--out bench-results] [--compare <old.json>] [--check]`;


function parseOptions() {
  const { values } = parseArgs({
    options: {
      url: { type: 'string' },
      connections: { type: 'string', default: '32' },
      duration: { type: 'string', default: '10' },
      warmup: { type: 'string', default: '3' },
      workloads: { type: 'string', default: WORKLOAD_IDS.join(',') },
      cache: { type: 'string' },
      out: { type: 'string', default: 'bench-results' },
      compare: { type: 'string' },
      check: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.cache !== undefined && !['on', 'off', 'both'].includes(values.cache)) throw new UsageError(`--cache must be on, off or both, got "${values.cache}"`);
  if (values.cache === 'both' && values.url !== undefined) throw new UsageError('--cache both starts a server per mode: leave out --url');
  return {
    help: values.help === true,
    url: values.url === undefined ? undefined : checkUrl(values.url),
    connections: number('--connections', values.connections, { integer: true, positive: true }),
    durationS: number('--duration', values.duration, { integer: false, positive: true }),
    warmupS: number('--warmup', values.warmup, { integer: false, positive: false }),
    workloads: workloadList(values.workloads),
    cache: values.cache as 'on' | 'off' | 'both' | undefined,
    out: values.out,
    compare: values.compare,
    check: values.check,
  };
}

function number(flag: string, text: string, rule: { integer: boolean; positive: boolean }): number {
  const value = /^\d*\.?\d+$/.test(text) ? Number(text) : Number.NaN;
  if (Number.isNaN(value) || (rule.positive && value === 0) || (rule.integer && !Number.isInteger(value))) {
    throw new UsageError(`${flag} must be ${rule.integer ? 'a whole number' : 'a number'} ${rule.positive ? 'above' : 'from'} 0, got "${text}"`);
  }
  return value;
}

function workloadList(text: string): WorkloadId[] {
  const ids = text.split(',').map((id) => id.trim().toUpperCase()).filter(Boolean);
  const unknown = ids.filter((id) => !(WORKLOAD_IDS as readonly string[]).includes(id));
  if (unknown.length > 0 || ids.length === 0) throw new UsageError(`--workloads takes ${WORKLOAD_IDS.join(',')}; unknown: ${unknown.join(',') || '(none given)'}`);
  return WORKLOAD_IDS.filter((id) => ids.includes(id));
}

/** One URL, or several separated by commas: instances the requests go to in turn (tools/bench/targets.ts). */
function checkUrl(text: string): string {
  return targetsOf(text)
    .map((part) => {
      try {
        return new URL(part).toString();
      } catch {
        throw new UsageError(`--url must be a URL such as http://127.0.0.1:4000/graphql (or several, comma-separated), got "${part}"`);
      }
    })
    .join(',');
}

async function main(): Promise<void> {
  const options = parseOptions();
  if (options.help) {
    console.log(USAGE);
    return;
  }
  const earlier = options.compare === undefined ? undefined : await readReport(options.compare);
  const report = await runBench({ ...options, env: process.env, log: (line) => process.stderr.write(`bench: ${line}\n`) });
  const files = await writeReportFiles(report, options.out);
  const kpis = evaluateKpis(report);

  console.log(`\n${renderReport(report)}\n`);
  const onOff = cacheRatios(report);
  if (onOff.length > 0) console.log(`${renderRatios('cache on / cache off', onOff)}\n`);
  if (earlier) console.log(`${renderRatios(`this run / ${options.compare} (${earlier.startedAt})`, compareReports(report, earlier))}\n`);
  console.log(renderKpis(kpis));
  for (const note of report.notes) console.log(`note: ${note}`);
  console.log(`\nWrote ${files.json}, ${files.markdown}, ${files.chart} (and latest.*)`);

  const untimed = report.runs.flatMap((run) => run.failures);
  if (untimed.length > 0) {
    console.error(`${untimed.length} workload(s) failed their check and were not timed`);
    process.exitCode = 1;
  }
  if (options.check && kpis.some((k) => !k.pass)) process.exitCode = 1;
}

runCommand('bench', USAGE, main);
