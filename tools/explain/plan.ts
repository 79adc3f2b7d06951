/**
 * Pure functions over PostgreSQL's `EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON)`
 * output: what a statement cost, which indexes it used and whether it scanned
 * a large table sequentially. No I/O here, so the rules are unit-tested on
 * hand-written plans.
 */

/** One node of a plan, with the fields read here (PostgreSQL sends many more). */
export interface PlanNode {
  readonly 'Node Type': string;
  readonly 'Relation Name'?: string;
  readonly Alias?: string;
  readonly 'Index Name'?: string;
  readonly Filter?: string;
  readonly 'Actual Rows'?: number;
  readonly 'Actual Loops'?: number;
  /** Cumulative: a node's buffers include its children's. */
  readonly 'Shared Hit Blocks'?: number;
  readonly 'Shared Read Blocks'?: number;
  readonly Plans?: readonly PlanNode[];
}

/** One statement's EXPLAIN JSON: an array holding one object. */
export type ExplainJson = readonly [
  {
    readonly Plan: PlanNode;
    readonly 'Planning Time'?: number;
    readonly 'Execution Time'?: number;
  },
];

/** Tables that grow with the data: a sequential scan of one is a plan to fix. */
export const LARGE_TABLES: readonly string[] = ['tasks', 'scripts', 'storyboards', 'resources', 'messages', 'conversations'];

const INDEX_SCANS = new Set(['Index Scan', 'Index Only Scan', 'Bitmap Index Scan']);
const SEQ_SCANS = new Set(['Seq Scan', 'Parallel Seq Scan']);

export interface SeqScan {
  readonly table: string;
  /** Rows the scan returned, over all its loops (after its filter). */
  readonly rows: number;
  readonly loops: number;
  readonly filter?: string | undefined;
  readonly large: boolean;
}

export interface PlanSummary {
  readonly executionMs: number;
  readonly planningMs: number;
  /** Rows the statement returned (the root node's). */
  readonly rows: number;
  /** Index names in plan order, each once. */
  readonly indexes: readonly string[];
  readonly sharedHit: number;
  readonly sharedRead: number;
  readonly seqScans: readonly SeqScan[];
}

/** Every node of the plan, depth first, the root first (InitPlans and SubPlans are children too). */
export function* walkPlan(node: PlanNode): Generator<PlanNode> {
  yield node;
  for (const child of node.Plans ?? []) yield* walkPlan(child);
}

export function summarisePlan(explain: ExplainJson, largeTables: readonly string[] = LARGE_TABLES): PlanSummary {
  const { Plan: root } = explain[0];
  const indexes = new Set<string>();
  const seqScans: SeqScan[] = [];
  for (const node of walkPlan(root)) {
    const type = node['Node Type'];
    if (INDEX_SCANS.has(type) && node['Index Name']) indexes.add(node['Index Name']);
    if (SEQ_SCANS.has(type) && node['Relation Name']) {
      const loops = node['Actual Loops'] ?? 1;
      seqScans.push({
        table: node['Relation Name'],
        // EXPLAIN reports rows per loop, rounded.
        rows: (node['Actual Rows'] ?? 0) * loops,
        loops,
        filter: node.Filter,
        large: largeTables.includes(node['Relation Name']),
      });
    }
  }
  return {
    executionMs: explain[0]['Execution Time'] ?? 0,
    planningMs: explain[0]['Planning Time'] ?? 0,
    rows: root['Actual Rows'] ?? 0,
    indexes: [...indexes],
    sharedHit: root['Shared Hit Blocks'] ?? 0,
    sharedRead: root['Shared Read Blocks'] ?? 0,
    seqScans,
  };
}

/** Sequential scans of large tables: what `npm run explain` flags. */
export function largeSeqScans(summary: PlanSummary): SeqScan[] {
  return summary.seqScans.filter((scan) => scan.large);
}

export interface Totals {
  readonly statements: number;
  readonly executionMs: number;
  readonly planningMs: number;
  readonly sharedHit: number;
  readonly sharedRead: number;
  /** 1-based statement numbers with the large tables each scanned sequentially. */
  readonly offenders: readonly { readonly statement: number; readonly tables: readonly string[] }[];
}

/** Sums over an operation's statements; a statement that could not be explained counts with no plan. */
export function totalise(summaries: readonly (PlanSummary | undefined)[]): Totals {
  const offenders: { statement: number; tables: string[] }[] = [];
  let executionMs = 0;
  let planningMs = 0;
  let sharedHit = 0;
  let sharedRead = 0;
  summaries.forEach((summary, index) => {
    if (!summary) return;
    executionMs += summary.executionMs;
    planningMs += summary.planningMs;
    sharedHit += summary.sharedHit;
    sharedRead += summary.sharedRead;
    const tables = [...new Set(largeSeqScans(summary).map((scan) => scan.table))];
    if (tables.length > 0) offenders.push({ statement: index + 1, tables });
  });
  return { statements: summaries.length, executionMs, planningMs, sharedHit, sharedRead, offenders };
}
