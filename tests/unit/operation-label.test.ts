import { describe, expect, it } from 'vitest';
import { createOperationLabels } from '../../src/observability/operation-label.js';

describe('the operation label', () => {
  it('names unresolved requests "unknown" and operations without a name "anonymous"', () => {
    const label = createOperationLabels();
    expect(label(undefined)).toBe('unknown');
    expect(label({ name: null })).toBe('anonymous');
  });

  it('keeps the first names it sees, and the names it kept, once the limit is reached', () => {
    const label = createOperationLabels(2);
    expect([label({ name: 'A' }), label({ name: 'B' }), label({ name: 'C' }), label({ name: 'A' })]).toEqual(['A', 'B', 'other', 'A']);
  });

  it('does not spend a place on a name over 100 characters', () => {
    const label = createOperationLabels(1);
    expect(label({ name: 'X'.repeat(101) })).toBe('other');
    expect(label({ name: 'TaskTree' })).toBe('TaskTree');
  });
});
