import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { cacheRatios, evaluateKpis, type KpiCheck, type RatioRow } from '../compare.js';
import type { BenchReport } from '../types.js';
import { renderChart } from './chart.js';
import { renderMarkdown } from './markdown.js';

/** What `latest.json` and `bench-<time>.json` hold: the report and what follows from it. */
export interface SavedReport extends BenchReport {
  readonly kpis: readonly KpiCheck[];
  readonly cacheRatios: readonly RatioRow[];
}

export interface WrittenFiles {
  readonly json: string;
  readonly markdown: string;
  readonly chart: string;
}

/**
 * Writes `bench-<time>.{json,md,svg}` under `outDir`, and the same three as
 * `latest.*` so that the newest run has a fixed address (`--compare latest.json`).
 */
export async function writeReportFiles(report: BenchReport, outDir: string): Promise<WrittenFiles> {
  await mkdir(outDir, { recursive: true });
  const saved: SavedReport = { ...report, kpis: evaluateKpis(report), cacheRatios: cacheRatios(report) };
  const writeSet = async (base: string): Promise<WrittenFiles> => {
    const files = { json: path.join(outDir, `${base}.json`), markdown: path.join(outDir, `${base}.md`), chart: path.join(outDir, `${base}.svg`) };
    await writeFile(files.json, `${JSON.stringify(saved, null, 2)}\n`);
    // The report links the chart beside it by name.
    await writeFile(files.markdown, renderMarkdown({ report, kpis: saved.kpis, cacheRatios: saved.cacheRatios, chartFile: path.basename(files.chart) }));
    await writeFile(files.chart, renderChart(report));
    return files;
  };
  await writeSet('latest');
  return writeSet(`bench-${report.startedAt.replace(/[:.]/g, '-')}`);
}

/** An earlier run's JSON, for --compare. */
export async function readReport(file: string): Promise<BenchReport> {
  const parsed = JSON.parse(await readFile(file, 'utf8')) as Partial<BenchReport>;
  if (parsed.version !== 1 || !Array.isArray(parsed.runs)) throw new Error(`${file} is not a bench report (version 1)`);
  return parsed as BenchReport;
}
