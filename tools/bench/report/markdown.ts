import { formatPercent, type KpiCheck, type RatioRow } from '../compare.js';
import type { BenchReport, ModeRun } from '../types.js';
import { errorsCell, highlights, hitCell, ms, rate, ratioCell, sqlCell } from './format.js';

/** The Markdown report: settings, one table per cache mode, KPIs, ratios, notes, and the chart. */
export interface MarkdownInput {
  readonly report: BenchReport;
  readonly kpis: readonly KpiCheck[];
  readonly cacheRatios: readonly RatioRow[];
  /** File name of the SVG beside the report. */
  readonly chartFile: string;
}

export function renderMarkdown({ report, kpis, cacheRatios, chartFile }: MarkdownInput): string {
  const { settings, data, target } = report;
  const lines = [
    `# Benchmark ${report.startedAt}`,
    '',
    `- Target: ${target.startedServer ? 'a server started by the runner' : target.url} on ${target.database}`,
    `- ${settings.connections} connections, ${settings.warmupS} s warmup + ${settings.durationS} s per workload: ${settings.workloads.join(', ')}`,
    `- Data: ${data.viewers} viewers, ${data.hotTasks} hot task ids (W1), ${data.runningTasks} RUNNING tasks (W8); W7 pages ${data.deepPageUser} (${data.deepPageUserTasks} tasks) at offset ${data.deepPageOffset}`,
    '',
    `![req/s and p95 per workload](${chartFile})`,
    '',
  ];
  for (const run of report.runs) lines.push(...runSection(run), '');
  lines.push(...kpiSection(kpis), '');
  if (cacheRatios.length > 0) lines.push('## Cache on / cache off', '', ...ratioTable(cacheRatios), '');
  if (report.notes.length > 0) lines.push('## Notes', '', ...report.notes.map((n) => `- ${n}`), '');
  return `${lines.join('\n').trimEnd()}\n`;
}

function runSection(run: ModeRun): string[] {
  const overall = run.cacheHitRate === null ? '' : ` (overall hit rate ${formatPercent(run.cacheHitRate)})`;
  const lines = [
    `## Cache ${run.cacheMode}${overall}`,
    '',
    '| workload | req/s | p50 ms | p95 ms | p99 ms | errors http/graphql | SQL/req | hit rate | notes |',
    '|---|--:|--:|--:|--:|--:|--:|--:|---|',
    ...run.results.map((r) =>
      `| ${r.key} ${r.title} | ${rate(r.reqPerSec)} | ${ms(r.latencyMs.p50)} | ${ms(r.latencyMs.p95)} | ${ms(r.latencyMs.p99)} | ${errorsCell(r)} | ${sqlCell(r)} | ${hitCell(r)} | ${cell([...highlights(r), ...r.notes].join('; '))} |`,
    ),
  ];
  if (!run.metricsAvailable) lines.push('', 'The server has no /metrics: SQL/req and hit rate are n/a.');
  for (const f of run.failures) lines.push('', `**${f.workload} ${f.title} was not timed:** ${cell(f.error)}`);
  for (const note of run.notes) lines.push('', note);
  return lines;
}

function kpiSection(kpis: readonly KpiCheck[]): string[] {
  const missed = kpis.filter((k) => !k.pass);
  return [
    `## KPIs (performance guide): ${missed.length === 0 ? `all ${kpis.length} met` : `${missed.length} of ${kpis.length} missed`}`,
    '',
    '| cache | KPI | target | actual | |',
    '|---|---|---|---|---|',
    ...kpis.map((k) => `| ${k.cacheMode} | ${k.name} | ${k.target} | ${cell(k.actual)} | ${k.pass ? 'met' : '**missed**'} |`),
  ];
}

export function ratioTable(rows: readonly RatioRow[]): string[] {
  return [
    '| mode | workload | req/s | p50 | p95 | p99 | SQL/req | hit rate |',
    '|---|---|--:|--:|--:|--:|--:|--:|',
    ...rows.map((r) => `| ${r.cacheMode} | ${r.key} | ${ratioCell(r.reqPerSec)} | ${ratioCell(r.p50)} | ${ratioCell(r.p95)} | ${ratioCell(r.p99)} | ${ratioCell(r.sqlPerRequest)} | ${ratioCell(r.cacheHitRate)} |`),
  ];
}

/** Table cells hold one line without pipes. */
function cell(value: string): string {
  return value.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');
}
