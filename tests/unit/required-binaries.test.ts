import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const tests = fileURLToPath(new URL('../', import.meta.url));
const self = fileURLToPath(import.meta.url);

function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return testFiles(file);
    return entry.name.endsWith('.test.ts') ? [file] : [];
  });
}

/** What a test file uses that starts a process of a binary that is not Node. */
const STARTERS: readonly { uses: RegExp; binaries: readonly string[] }[] = [
  { uses: /\b(RedisServer|RedisCluster|startRedisBackend)\b/, binaries: ['redis-server'] },
  { uses: /\b(RedisCluster|startRedisBackend)\b/, binaries: ['redis-cli'] },
  { uses: /helpers\/postgres-server\.js/, binaries: ['initdb', 'pg_ctl'] },
];

describe('test files that start servers of their own', () => {
  it('say which binaries they need, so that a machine without them leaves them out loudly, never fails nor skips silently', () => {
    const unmarked: string[] = [];
    for (const file of testFiles(tests).filter((file) => file !== self)) {
      const text = readFileSync(file, 'utf8');
      for (const { uses, binaries } of STARTERS) {
        if (!uses.test(text)) continue;
        for (const binary of binaries) if (!text.includes(`// @requires ${binary}\n`)) unmarked.push(`${path.relative(tests, file)}: ${binary}`);
      }
    }
    expect(unmarked).toEqual([]);
  });
});
