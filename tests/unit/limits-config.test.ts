import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

const problemsOf = (env: Record<string, string>) => {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
};

describe('the query limits in loadConfig', () => {
  it('default to depth 12, 30 aliases, cost 20,000, 5,000 tokens and 1 MB bodies, with no trusted documents', () => {
    const config = loadConfig({});

    expect(config.limits).toMatchObject({ maxDepth: 12, maxAliases: 30, maxCost: 20_000, maxTokens: 5_000, maxBodyBytes: 1_048_576 });
    expect(config.trustedDocuments).toBeUndefined();
  });

  it('reads each from its variable', () => {
    const config = loadConfig({
      QUERY_MAX_DEPTH: '8',
      QUERY_MAX_ALIASES: '0',
      QUERY_MAX_COST: '5000',
      QUERY_MAX_TOKENS: '2000',
      BODY_LIMIT_BYTES: '65536',
      TRUSTED_DOCUMENTS: ' dist/trusted-documents.json ',
    });

    expect(config.limits).toMatchObject({ maxDepth: 8, maxAliases: 0, maxCost: 5_000, maxTokens: 2_000, maxBodyBytes: 65_536 });
    expect(config.trustedDocuments).toBe('dist/trusted-documents.json');
  });

  it('names every invalid limit in one error', () => {
    const problems = problemsOf({ QUERY_MAX_DEPTH: '0', QUERY_MAX_ALIASES: '-1', QUERY_MAX_COST: 'lots', QUERY_MAX_TOKENS: '10', BODY_LIMIT_BYTES: '1.5' });

    expect(problems.map((problem) => problem.split(' ')[0])).toEqual(['QUERY_MAX_DEPTH', 'QUERY_MAX_ALIASES', 'QUERY_MAX_COST', 'QUERY_MAX_TOKENS', 'BODY_LIMIT_BYTES']);
  });
});

describe('the document, variables and persisted-query bounds in loadConfig', () => {
  it('default to 150 selections, 50 fragments, variables of 1 MiB, 64 deep, 20,000 values; persisted queries of 16 KiB, 256 KiB per viewer-hour, 16 MiB in process', () => {
    const config = loadConfig({});

    expect(config.limits).toMatchObject({ maxSelections: 150, maxFragments: 50, variables: { maxBytes: 1_048_576, maxDepth: 64, maxValues: 20_000 } });
    expect(config.persistedQueries).toEqual({ maxDocumentBytes: 16_384, memoryMaxBytes: 16 * 1_048_576 });
    expect(config.rateLimit.registrationKibPerHour).toBe(256);
  });

  it('reads each from its variable', () => {
    const config = loadConfig({
      QUERY_MAX_SELECTIONS: '100',
      QUERY_MAX_FRAGMENTS: '0',
      VARIABLES_MAX_BYTES: '2048',
      VARIABLES_MAX_DEPTH: '8',
      VARIABLES_MAX_VALUES: '10',
      PERSISTED_QUERY_MAX_BYTES: '1024',
      PERSISTED_QUERY_KIB_PER_HOUR: '4',
      PERSISTED_QUERY_MEMORY_MAX_MB: '2',
    });

    expect(config.limits).toMatchObject({ maxSelections: 100, maxFragments: 0, variables: { maxBytes: 2_048, maxDepth: 8, maxValues: 10 } });
    expect(config.persistedQueries).toEqual({ maxDocumentBytes: 1_024, memoryMaxBytes: 2 * 1_048_576 });
    expect(config.rateLimit.registrationKibPerHour).toBe(4);
  });

  it('names every invalid one in one error', () => {
    const problems = problemsOf({ QUERY_MAX_SELECTIONS: '0', VARIABLES_MAX_DEPTH: '1', VARIABLES_MAX_VALUES: 'x', PERSISTED_QUERY_MAX_BYTES: '1', PERSISTED_QUERY_KIB_PER_HOUR: '0' });

    expect(problems.map((problem) => problem.split(' ')[0]).sort()).toEqual(
      ['PERSISTED_QUERY_KIB_PER_HOUR', 'PERSISTED_QUERY_MAX_BYTES', 'QUERY_MAX_SELECTIONS', 'VARIABLES_MAX_DEPTH', 'VARIABLES_MAX_VALUES'],
    );
  });
});

describe('the response and cache-space bounds in loadConfig', () => {
  it('default to 8 MiB of large values per response and 2 MiB of cache writes per viewer-minute', () => {
    const config = loadConfig({});

    expect(config.limits.maxResponseBytes).toBe(8 * 1_048_576);
    expect(config.cache.viewerWriteQuotaBytes).toBe(2_048 * 1_024);
  });

  it('reads them from RESPONSE_MAX_BYTES and CACHE_VIEWER_QUOTA_KB, and names invalid ones', () => {
    const config = loadConfig({ RESPONSE_MAX_BYTES: '65536', CACHE_VIEWER_QUOTA_KB: '16' });
    expect([config.limits.maxResponseBytes, config.cache.viewerWriteQuotaBytes]).toEqual([65_536, 16 * 1_024]);

    const problems = problemsOf({ RESPONSE_MAX_BYTES: '100', CACHE_VIEWER_QUOTA_KB: '0' });
    expect(problems.map((problem) => problem.split(' ')[0])).toEqual(['CACHE_VIEWER_QUOTA_KB', 'RESPONSE_MAX_BYTES']);
  });
});
