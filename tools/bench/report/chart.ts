import type { BenchReport, ModeRun } from '../types.js';

/**
 * A hand-written SVG: two panels over the same workloads, throughput (req/s)
 * above and p95 latency (ms) below, one bar per cache mode in each group, a
 * dashed line at the KPI's 200 ms. No chart library: a few rects and texts.
 */

const WIDTH = 960;
const PANEL_HEIGHT = 230;
const MARGIN = { left: 64, right: 16, top: 40, bottom: 36 };
const PANEL_GAP = 34;
const P95_KPI_MS = 200;
const MODE_COLORS: Readonly<Record<string, string>> = { off: '#8b949e', on: '#1f6feb', external: '#2da44e' };

interface Panel {
  readonly title: string;
  readonly unit: string;
  readonly value: (run: ModeRun, key: string) => number | undefined;
  readonly threshold?: number;
}

const PANELS: readonly Panel[] = [
  { title: 'Throughput', unit: 'req/s', value: (run, key) => run.results.find((r) => r.key === key)?.reqPerSec },
  { title: 'p95 latency', unit: 'ms', value: (run, key) => run.results.find((r) => r.key === key)?.latencyMs.p95, threshold: P95_KPI_MS },
];

export function renderChart(report: BenchReport): string {
  const keys = [...new Set(report.runs.flatMap((run) => run.results.map((r) => r.key)))];
  const height = MARGIN.top + PANELS.length * (PANEL_HEIGHT + MARGIN.bottom) + (PANELS.length - 1) * PANEL_GAP + 8;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="system-ui, sans-serif" font-size="11">`,
    `<rect width="${WIDTH}" height="${height}" fill="#ffffff"/>`,
    text(MARGIN.left, 18, `arya-graphql bench, ${report.startedAt.slice(0, 16).replace('T', ' ')} UTC, ${report.settings.connections} connections, ${report.settings.durationS} s per workload`, { size: 13, weight: 'bold' }),
    ...legend(report.runs),
  ];
  PANELS.forEach((panel, i) => {
    const top = MARGIN.top + i * (PANEL_HEIGHT + MARGIN.bottom + PANEL_GAP);
    parts.push(...renderPanel(panel, report.runs, keys, top));
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}

function renderPanel(panel: Panel, runs: readonly ModeRun[], keys: readonly string[], top: number): string[] {
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  const values = runs.flatMap((run) => keys.map((key) => panel.value(run, key) ?? 0));
  // 8 % headroom keeps the tallest bar's label clear of the panel title.
  const max = niceCeiling(Math.max(1, ...values, panel.threshold ?? 0) * 1.08);
  const y = (v: number) => top + PANEL_HEIGHT - (v / max) * PANEL_HEIGHT;
  const out: string[] = [text(MARGIN.left, top - 6, `${panel.title} (${panel.unit})`, { weight: 'bold' })];

  for (const tick of ticks(max)) {
    out.push(`<line x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${y(tick)}" y2="${y(tick)}" stroke="#d0d7de" stroke-width="${tick === 0 ? 1 : 0.5}"/>`);
    out.push(text(MARGIN.left - 6, y(tick) + 4, formatTick(tick), { anchor: 'end', color: '#57606a' }));
  }

  const groupWidth = plotWidth / Math.max(1, keys.length);
  const barWidth = Math.min(36, (groupWidth * 0.7) / Math.max(1, runs.length));
  keys.forEach((key, k) => {
    const groupLeft = MARGIN.left + k * groupWidth + (groupWidth - barWidth * runs.length) / 2;
    runs.forEach((run, r) => {
      const value = panel.value(run, key);
      if (value === undefined) return;
      const x = groupLeft + r * barWidth;
      out.push(`<rect x="${x.toFixed(1)}" y="${y(value).toFixed(1)}" width="${(barWidth - 2).toFixed(1)}" height="${(top + PANEL_HEIGHT - y(value)).toFixed(1)}" fill="${MODE_COLORS[run.cacheMode] ?? '#6e7781'}"><title>${escapeXml(`${key} cache ${run.cacheMode}: ${formatValue(value)} ${panel.unit}`)}</title></rect>`);
      out.push(text(x + (barWidth - 2) / 2, y(value) - 3, formatValue(value), { anchor: 'middle', size: 9 }));
    });
    out.push(text(MARGIN.left + k * groupWidth + groupWidth / 2, top + PANEL_HEIGHT + 16, key, { anchor: 'middle' }));
  });

  if (panel.threshold !== undefined) {
    const ty = y(panel.threshold);
    out.push(`<line x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${ty}" y2="${ty}" stroke="#cf222e" stroke-dasharray="6 4"/>`);
    out.push(text(WIDTH - MARGIN.right, ty - 4, `KPI ${panel.threshold} ${panel.unit}`, { anchor: 'end', color: '#cf222e' }));
  }
  return out;
}

function legend(runs: readonly ModeRun[]): string[] {
  return runs.flatMap((run, i) => {
    const x = WIDTH - MARGIN.right - (runs.length - i) * 110;
    return [
      `<rect x="${x}" y="8" width="12" height="12" fill="${MODE_COLORS[run.cacheMode] ?? '#6e7781'}"/>`,
      text(x + 16, 18, `cache ${run.cacheMode}`),
    ];
  });
}

/** 1, 2 or 5 times a power of ten, at or above `value`. */
export function niceCeiling(value: number): number {
  const power = 10 ** Math.floor(Math.log10(value));
  return ([1, 2, 5, 10].find((step) => step * power >= value) ?? 10) * power;
}

function ticks(max: number): number[] {
  return Array.from({ length: 5 }, (_, i) => (max * i) / 4);
}

function formatTick(value: number): string {
  return value >= 1000 ? `${value / 1000}k` : String(Math.round(value * 10) / 10);
}

function formatValue(value: number): string {
  return value >= 100 ? String(Math.round(value)) : value.toFixed(1);
}

function text(x: number, y: number, content: string, style: { anchor?: string; size?: number; weight?: string; color?: string } = {}): string {
  const attributes = [
    `x="${x.toFixed(1)}"`,
    `y="${y.toFixed(1)}"`,
    style.anchor ? `text-anchor="${style.anchor}"` : '',
    style.size ? `font-size="${style.size}"` : '',
    style.weight ? `font-weight="${style.weight}"` : '',
    `fill="${style.color ?? '#24292f'}"`,
  ].filter(Boolean);
  return `<text ${attributes.join(' ')}>${escapeXml(content)}</text>`;
}

export function escapeXml(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
