import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createCache } from '../../src/cache/create-cache.js';
import { ResponseCache, decodeFor } from '../../src/response-cache/response-cache.js';
import { loadConfig } from '../../src/config.js';

/** Counts the event-loop turns (setImmediate callbacks) that run while `work` is pending. */
async function turnsDuring(work: () => Promise<unknown>): Promise<number> {
  let turns = 0;
  let spinning = true;
  const spin = () => {
    if (!spinning) return;
    turns += 1;
    setImmediate(spin);
  };
  setImmediate(spin);
  await work();
  spinning = false;
  return turns;
}

describe('the response cache compresses large bodies off the event loop', () => {
  it('stores a 4 MB response gzipped once while the event loop keeps turning, and gives it back whole', async () => {
    const cache = createCache(loadConfig({ NODE_ENV: 'test' }).cache);
    const responses = new ResponseCache(cache);
    const identity = responses.identify({ query: '{ viewer { id } }' }, '00000000-0000-4000-8000-000000000001')!;
    responses.learn(identity, 'query');
    // Hex of random bytes: compressible enough to store, slow enough to take tens of ms.
    const body = JSON.stringify({ data: { blob: randomBytes(2 * 1024 * 1024).toString('hex') } });

    // gzipSync would run inside store() before its first await: not one turn in between.
    const turns = await turnsDuring(() => responses.store(identity, 'Blob', body, { ttlSeconds: 60, fences: [] }));
    expect(turns).toBeGreaterThan(0);

    const cached = (await responses.lookup(identity))!;
    expect(cached.gzipped).toBe(true);
    expect(cached.body.length).toBeLessThan(body.length);
    const plain = await turnsDuring(async () => expect((await decodeFor(cached, false)).body.toString()).toBe(body));
    expect(plain).toBeGreaterThan(0);
    await cache.close();
  });
});
