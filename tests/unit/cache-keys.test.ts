import { describe, expect, it } from 'vitest';
import { cacheNamespace, declaredNamespaces, entryKey, fenceKey, isBookkeepingKey, keyPrefix, leaseKey, sharedKey } from '../../src/cache/namespace.js';
import { DEFAULT_TIER_SECONDS, tierTable } from '../../src/cache/tiers.js';
import { canonicalJson } from '../../src/canonical-json.js';
// Every declaration, as the running API loads them.
import '../../src/cache/persisted-queries.js';
import '../../src/cache/response-tier.js';
import '../../src/conversations/conversation.cache.js';
import '../../src/resources/resource.cache.js';
import '../../src/scripts/script.cache.js';
import '../../src/storyboards/storyboard.cache.js';
import '../../src/tasks/task.cache.js';
import '../../src/users/user.cache.js';

const USER = '5f0e8a52-3c71-4d4b-9a8e-2b6c1d0f7e93';
const TASK = 'b1c2d3e4-f5a6-4b7c-8d9e-0f1a2b3c4d5e';

/** The slot a cluster gives a key: the part inside its first non-empty {…}, when there is one (Redis Cluster spec). */
function hashTagOf(key: string): string {
  const open = key.indexOf('{');
  const close = open < 0 ? -1 : key.indexOf('}', open + 1);
  return close > open + 1 ? key.slice(open + 1, close) : key;
}

describe('cache keys', () => {
  const tasks = declaredNamespaces().find((namespace) => namespace.name === 'tasks')!;

  it('are {namespace}:v{version}:{scope}:key, the scope in a hash tag', () => {
    expect(entryKey(tasks, USER, TASK)).toBe(`tasks:v1:{${USER}}:${TASK}`);
  });

  it('put fences and leases of a scope in the same cluster slot as its entries', () => {
    const entry = entryKey(tasks, USER, '{"descending":true,"limit":21}');

    expect(fenceKey(USER, `task:${TASK}`)).toBe(`fence:v1:{${USER}}:task:${TASK}`);
    expect(leaseKey(entry, 'AbC.0')).toBe(`lease:v1:${entry}:AbC.0`);
    expect([entry, fenceKey(USER, 'tasks'), leaseKey(entry, 'AbC.0')].map(hashTagOf)).toEqual([USER, USER, USER]);
  });

  it('tell the cache\'s bookkeeping (fences, leases) from cached data, whatever a namespace\'s name begins with', () => {
    const entry = entryKey(tasks, USER, TASK);

    expect([fenceKey(USER, 'tasks'), leaseKey(entry, 'AbC.0')].map(isBookkeepingKey)).toEqual([true, true]);
    expect([entry, `fences:v1:{${USER}}:x`, `leases:v1:x`].map(isBookkeepingKey)).toEqual([false, false, false]);
  });

  it('are declared once per namespace, each with its tier', () => {
    const tiers = Object.fromEntries(declaredNamespaces().map((namespace) => [namespace.name, [namespace.tier, namespace.staleWhileRevalidate]]));

    expect(tiers).toEqual({
      pq: ['day', false],
      api: ['medium', false],
      conversations: ['long', false],
      messages: ['long', false],
      'conversation-lists': ['medium', false],
      resources: ['long', true],
      scripts: ['long', true],
      'script-contents': ['long', true],
      storyboards: ['long', true],
      tasks: ['short', false],
      'task-options': ['long', true],
      'task-lists': ['medium', false],
      users: ['veryLong', false],
    });
  });

  it('refuse a namespace declared twice', () => {
    expect(() => cacheNamespace({ name: 'tasks', version: 2, tier: 'short' })).toThrow('cache namespace tasks is declared twice');
  });

  it('refuse a namespace that does not fit {name}:v{version}', () => {
    expect(() => cacheNamespace({ name: 'Bad_Name', version: 1, tier: 'short' })).toThrow('does not fit');
    expect(() => cacheNamespace({ name: 'unit-test-unversioned', version: 0, tier: 'short' })).toThrow('does not fit');
  });

  it('shared by every user (persisted queries) and rate limits follow the same scheme, without a scope', () => {
    const shared = cacheNamespace({ name: 'unit-test-shared', version: 3, tier: 'day' });

    expect(sharedKey(shared, 'apq:abc')).toBe('unit-test-shared:v3:apq:abc');
    expect(keyPrefix('rate-limit', 1)).toBe('rate-limit:v1');
  });

  it('of a bumped version are other keys: the old ones are retired at once', () => {
    const bumped = cacheNamespace({ name: 'unit-test-bumped', version: 7, tier: 'day' });

    expect(entryKey(bumped, USER, 'k')).toBe(`unit-test-bumped:v7:{${USER}}:k`);
    expect(bumped.staleWhileRevalidate).toBe(false);
    expect(Object.isFrozen(bumped)).toBe(true);
  });
});

describe('the tier table', () => {
  it('holds the performance guide\'s TTLs in seconds', () => {
    expect(tierTable({})).toEqual({ short: 60, medium: 300, long: 900, veryLong: 3_600, day: 86_400, week: 604_800, month: 2_592_000 });
  });

  it('takes the overrides given and the defaults for the rest, frozen', () => {
    const table = tierTable({ short: 5, month: 60 });

    expect(table).toEqual({ ...DEFAULT_TIER_SECONDS, short: 5, month: 60 });
    expect(Object.isFrozen(table)).toBe(true);
    expect(DEFAULT_TIER_SECONDS.short).toBe(60);
  });
});

describe('canonical JSON', () => {
  it('writes the same text for the same value whatever the order of its keys, at every depth', () => {
    const one = canonicalJson({ b: 1, a: { d: [1, { z: true, y: null }], c: 'x' } });
    const other = canonicalJson({ a: { c: 'x', d: [1, { y: null, z: true }] }, b: 1 });

    expect(one).toBe('{"a":{"c":"x","d":[1,{"y":null,"z":true}]},"b":1}');
    expect(other).toBe(one);
  });

  it('keeps the order of arrays, and escapes keys and strings as JSON does', () => {
    expect(canonicalJson([3, 1, 2])).toBe('[3,1,2]');
    expect(canonicalJson({ 'a"b': 'line\nbreak' })).toBe('{"a\\"b":"line\\nbreak"}');
  });

  it('writes null for values JSON has no text for', () => {
    expect(canonicalJson(undefined)).toBe('null');
    expect(canonicalJson(null)).toBe('null');
    expect(canonicalJson({ n: 1.5, s: '' })).toBe('{"n":1.5,"s":""}');
  });
});
