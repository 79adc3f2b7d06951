// @requires redis-server
import { afterAll, beforeAll, describe } from 'vitest';
import { RedisStore } from '../../../src/cache/redis-store.js';
import { fenceReplayTests } from '../../helpers/fence-replay.js';
import { RedisServer, untilStoreAnswers } from '../../helpers/redis-server.js';

/** The interleavings of the unit test (tests/unit/cache-fence-replay.test.ts) over a real Redis: two connections, two instances. */
describe('fences replayed after an outage, on Redis', () => {
  let redis: RedisServer;
  const stores: RedisStore[] = [];
  beforeAll(async () => {
    redis = await RedisServer.start();
  });
  afterAll(async () => {
    await Promise.all(stores.map((store) => store.close()));
    await redis?.stop();
  });

  fenceReplayTests(async () => {
    const [first, second] = [0, 1].map(() => new RedisStore({ urls: [redis.url], cluster: false, commandTimeoutMs: 1_000 }));
    stores.push(first!, second!);
    await Promise.all([untilStoreAnswers(first!), untilStoreAnswers(second!)]);
    return { first: first!, second: second! };
  });
});
