import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../tools/batch/inputs.js';
import { digestOf } from '../../tools/batch/lines.js';

describe("the batch client's line digests", () => {
  it('are the same for a line whose keys were reordered, at any depth', () => {
    const a = JSON.parse('{"topic":"x","options":{"a":1,"b":{"c":[1,{"e":2,"d":3}]}}}') as unknown;
    const b = JSON.parse('{"options":{"b":{"c":[1,{"d":3,"e":2}]},"a":1},"topic":"x"}') as unknown;
    expect(canonicalJson(a)).toBe('{"options":{"a":1,"b":{"c":[1,{"d":3,"e":2}]}},"topic":"x"}');
    expect(digestOf(canonicalJson(b))).toBe(digestOf(canonicalJson(a)));
  });

  it('are the hex SHA-256 of the text, cut to the length asked', () => {
    expect(digestOf('abc', 64)).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(digestOf('abc')).toBe('ba7816bf8f01cfea');
    expect(digestOf(Buffer.from('abc'))).toBe('ba7816bf8f01cfea');
  });
});
