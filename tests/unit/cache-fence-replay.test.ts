import { describe } from 'vitest';
import { MemoryStore } from '../../src/cache/memory-store.js';
import { fenceReplayTests } from '../helpers/fence-replay.js';

describe('fences replayed after an outage, on the in-process store', () => {
  fenceReplayTests(async () => {
    const shared = new MemoryStore(1 << 20);
    return { first: shared, second: shared };
  });
});
