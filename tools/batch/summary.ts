import type { RunSummary } from './run.js';

/** 0 every line succeeded · 1 some lines failed · 2 refused as configured · 3 stopped before the end. */
export function exitCodeOf(summary: RunSummary): number {
  if (summary.stoppedBy instanceof Error && summary.stoppedBy.kind === 'refused') return 2;
  if (summary.notDone > 0) return 3;
  return Object.keys(summary.failedByCode).length > 0 ? 1 : 0;
}

export function formatSummary(summary: RunSummary, out: string): string {
  const n = (value: number) => value.toLocaleString('en');
  const changed = summary.command === 'create-tasks' ? 'created' : 'updated';
  const rate = summary.seconds > 0 ? ` (${n(Math.round((summary.changedNow + summary.alreadyNow) / summary.seconds))} lines/s sent)` : '';
  const failed = Object.entries(summary.failedByCode).sort(([a], [b]) => a.localeCompare(b));
  const failedCount = failed.reduce((sum, [, count]) => sum + count, 0);
  const lines = [
    `${summary.command}: ${n(summary.lines)} lines in ${summary.seconds.toFixed(1)} s${rate}`,
    `  ${changed}: ${n(summary.changedNow)}`,
    ...(summary.command === 'update-status' ? [`  already in that status: ${n(summary.alreadyNow)}`] : []),
    `  skipped as already done: ${n(summary.skipped)}`,
    `  failed: ${n(failedCount)}${failed.length > 0 ? ` (${failed.map(([code, count]) => `${code} ${n(count)}`).join(', ')})` : ''}`,
    `  not done: ${n(summary.notDone)}`,
    `results: ${out}`,
  ];
  if (summary.stoppedBy === 'interrupted') lines.push('stopped by Ctrl-C: run the same command again to continue');
  else if (summary.stoppedBy) lines.push(`stopped: ${summary.stoppedBy.message}${summary.stoppedBy.kind === 'unavailable' ? ' (run the same command again to continue)' : ''}`);
  return lines.join('\n');
}
