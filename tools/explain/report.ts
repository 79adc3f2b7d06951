import type { ExplainReport, ExplainedStatement } from './explain.js';
import type { Totals } from './plan.js';

/** Characters of SQL shown per statement: enough to recognise it on one line. */
const SQL_WIDTH = 110;
/** A filter can hold a whole IN list of ids: its start says enough. */
const FILTER_WIDTH = 120;
const FLAG = '!!';

/** A statement on one line: whitespace collapsed, identifier quotes dropped, cut to `width`. */
export function oneLineSql(sql: string, width = SQL_WIDTH): string {
  const line = sql.replace(/\s+/g, ' ').replace(/"/g, '').trim();
  return line.length <= width ? line : `${line.slice(0, width - 1)}…`;
}

/** The human report: one block per statement, then the totals line. */
export function formatReport(report: ExplainReport): string {
  const { operation, totals } = report;
  const lines = [
    `${report.operationType ?? 'operation'} ${report.operationName ?? '(anonymous)'} as ${report.asEmail} on ${report.database}: HTTP ${operation.status}, ` +
      `${report.statements.length} SQL statement(s), ${ms(operation.durationMs)} end to end`,
  ];
  if (report.operationType === 'mutation') {
    lines.push('note: the mutation ran once for real; only the EXPLAIN ANALYZE replays below were rolled back');
  }
  report.statements.forEach((statement, index) => lines.push('', ...formatStatement(index + 1, statement)));
  lines.push('', formatTotals(totals));
  return lines.join('\n');
}

export function formatStatement(number: number, statement: ExplainedStatement): string[] {
  const head = `${String(number).padStart(2)}. ${oneLineSql(statement.sql)}`;
  const { summary } = statement;
  if (!summary) return [head, `    not explained: ${statement.error ?? 'no plan'}`];
  const details = [
    `exec ${ms(summary.executionMs)}`,
    `plan ${ms(summary.planningMs)}`,
    `${summary.rows} row(s)`,
    `buffers hit ${summary.sharedHit} read ${summary.sharedRead}`,
    summary.indexes.length > 0 ? `index ${summary.indexes.join(', ')}` : 'no index',
  ];
  const lines = [head, `    ${details.join(' | ')}`];
  for (const scan of summary.seqScans) {
    const where = scan.filter ? ` filter ${oneLineSql(scan.filter, FILTER_WIDTH)}` : '';
    const what = `Seq Scan on ${scan.table} (${scan.rows} row(s) out, ${scan.loops} loop(s))${where}`;
    lines.push(scan.large ? `    ${FLAG} SEQ SCAN ON LARGE TABLE: ${what}` : `    ${what}: small table, fine`);
  }
  return lines;
}

export function formatTotals(totals: Totals): string {
  const sums =
    `Totals: ${totals.statements} statement(s), exec ${ms(totals.executionMs)}, plan ${ms(totals.planningMs)}, ` +
    `buffers hit ${totals.sharedHit} read ${totals.sharedRead}`;
  if (totals.offenders.length === 0) return `${sums}; no sequential scan on large tables`;
  const list = totals.offenders.map((o) => `#${o.statement} (${o.tables.join(', ')})`).join(', ');
  return `${sums}; ${FLAG} sequential scans on large tables: ${list}`;
}

function ms(value: number): string {
  return `${value.toFixed(value < 10 ? 3 : 1)} ms`;
}
