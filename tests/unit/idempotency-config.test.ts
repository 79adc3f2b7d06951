import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { problemsOf } from '../helpers/config-problems.js';

describe('the idempotency key window', () => {
  it('is 24 hours by default and IDEMPOTENCY_KEY_TTL_S seconds when set', () => {
    expect(loadConfig({}).idempotencyKeyTtlSeconds).toBe(86_400);
    expect(loadConfig({ IDEMPOTENCY_KEY_TTL_S: '3600' }).idempotencyKeyTtlSeconds).toBe(3_600);
  });

  it.each(['0', '-5', '1.5', 'a day', '2592001'])('refuses IDEMPOTENCY_KEY_TTL_S=%s, naming it', (value) => {
    expect(problemsOf({ IDEMPOTENCY_KEY_TTL_S: value })).toEqual([expect.stringContaining('IDEMPOTENCY_KEY_TTL_S')]);
  });
});
