import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { TASK_STATUS_RULES, describeStatusRules, refusalOf } from '../../src/tasks/task.status-rules.js';
import type { TaskStatus } from '../../src/tasks/task.table.js';

const STATUSES = Object.keys(TASK_STATUS_RULES) as TaskStatus[];

/** The README's "Task status rules" table: its header and one array of cells per row. */
async function readmeTable(): Promise<{ columns: string[]; rows: Map<string, string[]> }> {
  const readme = await readFile(new URL('../../README.md', import.meta.url), 'utf8');
  const section = readme.split('## Task status rules')[1]!.split('\n## ')[0]!;
  const lines = section.split('\n').filter((line) => line.startsWith('|') && !line.startsWith('|---'));
  const cells = (line: string) => line.split('|').slice(1, -1).map((cell) => cell.trim().replaceAll('*', ''));
  const [header, ...body] = lines.map(cells);
  return { columns: header!.slice(1), rows: new Map(body.map(([name, ...rest]) => [name!, rest])) };
}

describe('the task status rules', () => {
  it('are the table the README shows, transition by transition and progress by status', async () => {
    const { columns, rows } = await readmeTable();

    expect(columns).toEqual(STATUSES.map((status) => status.toUpperCase()));
    for (const from of STATUSES) {
      expect(rows.get(from.toUpperCase()), from).toEqual(STATUSES.map((to) => (TASK_STATUS_RULES[from].next.includes(to) ? 'yes' : 'no')));
    }
    // PENDING is never entered, so its progress cell is a dash.
    expect(rows.get('progress after')).toEqual(STATUSES.map((to) => (to === 'pending' ? '–' : TASK_STATUS_RULES[to].progressOnEntry)));
  });

  it('refuse by transition before progress, and by progress only for an allowed move', () => {
    expect(refusalOf({ status: 'pending', progress: 0 }, { status: 'pending', progress: null })).toBe('TRANSITION');
    expect(refusalOf({ status: 'completed', progress: 1 }, { status: 'running', progress: 1 })).toBe('TRANSITION');
    expect(refusalOf({ status: 'pending', progress: 0.7 }, { status: 'running', progress: 0.1 })).toBe('PROGRESS');
    expect(refusalOf({ status: 'running', progress: 0.5 }, { status: 'completed', progress: 0.9 })).toBe('PROGRESS');
    expect(refusalOf({ status: 'running', progress: 0.5 }, { status: 'completed', progress: 1 })).toBeUndefined();
    expect(refusalOf({ status: 'running', progress: 0.5 }, { status: 'failed', progress: null })).toBeUndefined();
    expect(refusalOf({ status: 'running', progress: 0.5 }, { status: 'running', progress: 0.5 })).toBeUndefined();
  });

  it('describe themselves in words derived from the table', () => {
    expect(describeStatusRules()).toBe(
      'PENDING -> RUNNING, FAILED or CANCELLED; RUNNING -> RUNNING, COMPLETED, FAILED or CANCELLED; ' +
        'COMPLETED, FAILED and CANCELLED are final. Progress never goes down; COMPLETED sets it to 1.',
    );
  });
});
