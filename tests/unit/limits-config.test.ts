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

    expect(config.limits).toEqual({ maxDepth: 12, maxAliases: 30, maxCost: 20_000, maxTokens: 5_000, maxBodyBytes: 1_048_576 });
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

    expect(config.limits).toEqual({ maxDepth: 8, maxAliases: 0, maxCost: 5_000, maxTokens: 2_000, maxBodyBytes: 65_536 });
    expect(config.trustedDocuments).toBe('dist/trusted-documents.json');
  });

  it('names every invalid limit in one error', () => {
    const problems = problemsOf({ QUERY_MAX_DEPTH: '0', QUERY_MAX_ALIASES: '-1', QUERY_MAX_COST: 'lots', QUERY_MAX_TOKENS: '10', BODY_LIMIT_BYTES: '1.5' });

    expect(problems.map((problem) => problem.split(' ')[0])).toEqual(['QUERY_MAX_DEPTH', 'QUERY_MAX_ALIASES', 'QUERY_MAX_COST', 'QUERY_MAX_TOKENS', 'BODY_LIMIT_BYTES']);
  });
});
