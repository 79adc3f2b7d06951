import { describe, expect, it } from 'vitest';
import { createOperationLabels } from '../../src/observability/operation-label.js';

describe('the operation label', () => {
  it('names unresolved requests "unknown" and operations without a name "anonymous"', () => {
    const label = createOperationLabels();
    expect(label(undefined, true)).toBe('unknown');
    expect(label({ name: null }, true)).toBe('anonymous');
    expect(label({ name: null }, false)).toBe('anonymous');
  });

  it('keeps the first names it sees, and the names it kept, once the limit is reached', () => {
    const label = createOperationLabels(2);
    expect([label({ name: 'A' }, true), label({ name: 'B' }, true), label({ name: 'C' }, true), label({ name: 'A' }, true)]).toEqual(['A', 'B', 'other', 'A']);
  });

  it('does not spend a place on a name over 100 characters', () => {
    const label = createOperationLabels(1);
    expect(label({ name: 'X'.repeat(101) }, true)).toBe('other');
    expect(label({ name: 'TaskTree' }, true)).toBe('TaskTree');
  });

  it('counts untrusted names as "other" without spending a place, even a name it already keeps', () => {
    const label = createOperationLabels(1);
    expect(label({ name: 'Made1' }, false)).toBe('other');
    expect(label({ name: 'TaskTree' }, true)).toBe('TaskTree');
    expect(label({ name: 'TaskTree' }, false)).toBe('other');
  });
});
