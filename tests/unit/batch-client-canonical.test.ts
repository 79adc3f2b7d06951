import { describe, expect, it } from 'vitest';
import { canonicalJson as serverCanonicalJson } from '../../src/canonical-json.js';
import { canonicalJson } from '../../tools/batch/inputs.js';
import { digestOf } from '../../tools/batch/lines.js';

/** Lines as a file holds them: the client reads every input through JSON.parse. */
const LINES = [
  '{"topic":"t","priority":"HIGH","options":{"style":"story","durationSeconds":60,"voice":"v","captions":true}}',
  '{"options":{"b":[{"z":1,"a":[{"y":null,"x":"é"}]}],"a":{}},"topic":"reordered"}',
  // Integer-like keys: JavaScript lists them first whatever the insertion order.
  '{"topic":"ints","options":{"10":1,"2":2,"a":3,"01":4}}',
  // __proto__ from JSON.parse is an own key: assigning it to a copy would set the prototype instead.
  '{"topic":"proto","options":{"__proto__":{"x":1},"b":2}}',
  // Code-unit order: "Z" < "a" < "é" < "😀".
  '{"topic":"unicode","options":{"😀":1,"é":2,"a":3,"Z":4}}',
  '{"topic":"nested arrays","options":{"list":[[3,{"b":1,"a":2}],[],"s",1.5e300,-0]}}',
];

describe('the batch client\'s canonicalJson', () => {
  it.each(LINES)('writes %s as the server does: keys sorted by code unit, at every depth', (line) => {
    const value = JSON.parse(line) as unknown;
    expect(canonicalJson(value)).toBe(serverCanonicalJson(value));
  });

  it('writes reordered keys as the same text, hence the same digest', () => {
    const a = JSON.parse('{"topic":"x","options":{"a":1,"b":{"c":[1,{"e":2,"d":3}]}}}') as unknown;
    const b = JSON.parse('{"options":{"b":{"c":[1,{"d":3,"e":2}]},"a":1},"topic":"x"}') as unknown;
    expect(canonicalJson(a)).toBe('{"options":{"a":1,"b":{"c":[1,{"d":3,"e":2}]}},"topic":"x"}');
    expect(digestOf(canonicalJson(b))).toBe(digestOf(canonicalJson(a)));
  });

  it('keeps __proto__ and integer-like keys in the text', () => {
    expect(canonicalJson(JSON.parse('{"__proto__":{"x":1},"b":2}'))).toBe('{"__proto__":{"x":1},"b":2}');
    expect(canonicalJson(JSON.parse('{"b":1,"10":2,"2":3}'))).toBe('{"10":2,"2":3,"b":1}');
  });
});

describe('digestOf', () => {
  it('is the hex SHA-256 of the text, cut to the length asked', () => {
    expect(digestOf('abc', 64)).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(digestOf('abc')).toBe('ba7816bf8f01cfea');
  });
});
