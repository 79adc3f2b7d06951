import { describe, expect, it } from 'vitest';
import { summarisePlan, totalise, type ExplainJson, type PlanNode } from '../../tools/explain/plan.js';
import { formatStatement, formatTotals, oneLineSql } from '../../tools/explain/report.js';

/** EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) output, trimmed to the fields the summariser reads. */
function explain(plan: PlanNode, executionMs = 1.5, planningMs = 0.25): ExplainJson {
  return [{ Plan: plan, 'Planning Time': planningMs, 'Execution Time': executionMs }];
}

// The W3 storyboard page: unnest(...) joined LATERAL to an index range scan per parent.
const perParentPage = explain({
  'Node Type': 'Nested Loop',
  'Actual Rows': 160,
  'Actual Loops': 1,
  'Shared Hit Blocks': 220,
  'Shared Read Blocks': 3,
  Plans: [
    { 'Node Type': 'Function Scan', Alias: 'k', 'Actual Rows': 20, 'Actual Loops': 1 },
    {
      'Node Type': 'Limit',
      'Actual Rows': 8,
      'Actual Loops': 20,
      Plans: [
        {
          'Node Type': 'Index Scan',
          'Relation Name': 'storyboards',
          'Index Name': 'idx_storyboards_task_sequence_created',
          'Actual Rows': 8,
          'Actual Loops': 20,
        },
      ],
    },
  ],
});

// Resources by id, scoped to the viewer through tasks: a bitmap scan and an index-only scan.
const resourcesByIds = explain({
  'Node Type': 'Hash Join',
  'Actual Rows': 320,
  'Actual Loops': 1,
  'Shared Hit Blocks': 1384,
  'Shared Read Blocks': 0,
  Plans: [
    {
      'Node Type': 'Bitmap Heap Scan',
      'Relation Name': 'resources',
      'Actual Rows': 320,
      'Actual Loops': 1,
      Plans: [{ 'Node Type': 'Bitmap Index Scan', 'Index Name': 'resources_pkey', 'Actual Rows': 320, 'Actual Loops': 1 }],
    },
    {
      'Node Type': 'Hash',
      'Actual Rows': 100,
      'Actual Loops': 1,
      Plans: [
        { 'Node Type': 'Index Only Scan', 'Relation Name': 'tasks', 'Index Name': 'idx_tasks_user_created_id', 'Actual Rows': 100, 'Actual Loops': 1 },
      ],
    },
  ],
});

// A sequential scan of messages under a join, and one of users (not a large table).
const seqScans = explain({
  'Node Type': 'Hash Join',
  'Actual Rows': 30,
  'Actual Loops': 1,
  'Shared Hit Blocks': 4000,
  'Shared Read Blocks': 1200,
  Plans: [
    {
      'Node Type': 'Seq Scan',
      'Relation Name': 'messages',
      Alias: 'm',
      Filter: '(conversation_id = $1)',
      'Actual Rows': 30,
      'Actual Loops': 1,
    },
    {
      'Node Type': 'Hash',
      'Actual Rows': 1,
      'Actual Loops': 1,
      Plans: [{ 'Node Type': 'Seq Scan', 'Relation Name': 'users', 'Actual Rows': 1, 'Actual Loops': 1 }],
    },
  ],
});

describe('the plan summariser', () => {
  it('finds the index of a scan nested under a LATERAL loop', () => {
    expect(summarisePlan(perParentPage).indexes).toEqual(['idx_storyboards_task_sequence_created']);
  });

  it('finds bitmap index scans and index-only scans, each index once, in plan order', () => {
    expect(summarisePlan(resourcesByIds).indexes).toEqual(['resources_pkey', 'idx_tasks_user_created_id']);
  });

  it('reads times, the rows returned and the buffers from the root', () => {
    expect(summarisePlan(perParentPage)).toMatchObject({ executionMs: 1.5, planningMs: 0.25, rows: 160, sharedHit: 220, sharedRead: 3 });
  });

  it('flags a sequential scan on a large table', () => {
    const scans = summarisePlan(seqScans).seqScans;
    expect(scans.filter((scan) => scan.large)).toEqual([{ table: 'messages', rows: 30, loops: 1, filter: '(conversation_id = $1)', large: true }]);
  });

  it('lists a sequential scan on a small table without flagging it', () => {
    expect(summarisePlan(seqScans).seqScans.find((scan) => scan.table === 'users')).toMatchObject({ large: false });
  });

  it('counts the rows of a sequential scan over all its loops', () => {
    const looped = explain({ 'Node Type': 'Seq Scan', 'Relation Name': 'scripts', 'Actual Rows': 3, 'Actual Loops': 20 });
    expect(summarisePlan(looped).seqScans[0]).toMatchObject({ table: 'scripts', rows: 60, loops: 20, large: true });
  });

  it('reports no index and no sequential scan for a plan that uses neither', () => {
    const values = explain({ 'Node Type': 'Result', 'Actual Rows': 1, 'Actual Loops': 1 });
    expect(summarisePlan(values)).toMatchObject({ indexes: [], seqScans: [], rows: 1 });
  });
});

describe('the totals', () => {
  it('sum the statements and name the ones that scan a large table sequentially', () => {
    const totals = totalise([perParentPage, undefined, seqScans].map((plan) => plan && summarisePlan(plan)));
    expect(totals).toMatchObject({ statements: 3, executionMs: 3, sharedHit: 4220, sharedRead: 1203, offenders: [{ statement: 3, tables: ['messages'] }] });
    expect(formatTotals(totals)).toMatch(/sequential scans on large tables: #3 \(messages\)$/);
  });

  it('say so when no statement scans a large table sequentially', () => {
    const totals = totalise([perParentPage, resourcesByIds].map((plan) => summarisePlan(plan)));
    expect(formatTotals(totals)).toMatch(/; no sequential scan on large tables$/);
  });
});

describe('the statement report', () => {
  it('puts a statement on one line, without identifier quotes, cut to its width', () => {
    expect(oneLineSql('select "id"\n    from   "tasks"\n  where "user_id" = $1')).toBe('select id from tasks where user_id = $1');
    expect(oneLineSql(`select ${'x, '.repeat(100)}y`, 20)).toHaveLength(20);
  });

  it('marks a sequential scan on a large table and not one on a small table', () => {
    const lines = formatStatement(1, { sql: 'select 1', parameters: [], durationMs: 1, summary: summarisePlan(seqScans) });
    expect(lines.filter((line) => line.includes('!! SEQ SCAN ON LARGE TABLE'))).toHaveLength(1);
    expect(lines.find((line) => line.includes('Seq Scan on users'))).not.toContain('!!');
  });
});
