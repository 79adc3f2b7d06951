import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../src/canonical-json.js';

/**
 * canonicalJson as it was written before its fast path (sorted entries, joined
 * by hand): the text keys were stored under. The current one must write every
 * value the same way, or idempotency keys and results files stop matching.
 */
function reference(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(reference).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${reference(item)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** A small deterministic generator: the same values on every run. */
function random(seed: number) {
  let state = seed;
  return () => ((state = (state * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
}

const KEYS = ['a', 'b', 'Z', 'é', '😀', 'style', 'durationSeconds', '10', '2', '0', '01', '__proto__', 'toJSON', ''];
const LEAVES: unknown[] = [null, true, false, 0, -0, 1.5, 1e300, 'text', '', 'é😀', undefined, Number.NaN, Number.POSITIVE_INFINITY, new Date(0)];

function valueOf(next: () => number, depth: number): unknown {
  const pick = next();
  if (depth > 3 || pick < 0.4) return LEAVES[Math.floor(next() * LEAVES.length)];
  if (pick < 0.6) return Array.from({ length: Math.floor(next() * 4) }, () => valueOf(next, depth + 1));
  const object: Record<string, unknown> = {};
  for (let i = Math.floor(next() * 5); i > 0; i--) Object.defineProperty(object, KEYS[Math.floor(next() * KEYS.length)]!, { value: valueOf(next, depth + 1), enumerable: true, writable: true, configurable: true });
  return object;
}

describe('canonicalJson', () => {
  it('writes 5,000 generated values exactly as before its fast path, odd keys and values included', () => {
    const next = random(20261206);
    for (let i = 0; i < 5_000; i++) {
      const value = valueOf(next, 0);
      expect(canonicalJson(value)).toBe(reference(value));
    }
  });

  it('sorts keys at every depth, whatever order they came in', () => {
    expect(canonicalJson(JSON.parse('{"b":{"d":[{"f":1,"e":2}],"c":null},"a":"x"}'))).toBe('{"a":"x","b":{"c":null,"d":[{"e":2,"f":1}]}}');
    expect(canonicalJson(JSON.parse('{"__proto__":{"x":1},"10":1,"2":2}'))).toBe('{"10":1,"2":2,"__proto__":{"x":1}}');
  });
});
