import { describe, expect, it } from 'vitest';
import { StatementNames } from '../../src/db/prepared-statements.js';

describe('statement names', () => {
  it('gives one text the same name every time, and another text another name', () => {
    const names = new StatementNames();
    const first = names.nameOf('select $1::int');
    expect(first).toMatch(/^arya_[A-Za-z0-9_-]{20}$/);
    expect(names.nameOf('select $1::int')).toBe(first);
    expect(names.nameOf('select $1::text')).not.toBe(first);
  });

  it('names the same text alike in another process (a hash of the text, not a counter)', () => {
    expect(new StatementNames().nameOf('select $1::int')).toBe(new StatementNames().nameOf('select $1::int'));
  });

  it('leaves lookups by a list of ids unnamed: their generic plan would guess the list size', () => {
    expect(new StatementNames().nameOf('select id from tasks where "id" = any($1::uuid[]) and "user_id" = $2')).toBeUndefined();
  });

  it('names no new text past its cap, and keeps the names it gave', () => {
    const names = new StatementNames(2);
    const a = names.nameOf('select $1::int');
    const b = names.nameOf('select $1::text');
    expect(names.nameOf('select $1::uuid')).toBeUndefined();
    expect([names.nameOf('select $1::int'), names.nameOf('select $1::text')]).toEqual([a, b]);
    expect(names.size).toBe(2);
  });
});
