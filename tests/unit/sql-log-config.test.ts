import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

describe('the SQL log settings', () => {
  it('log statements of 100 ms or more, and echo none, by default', () => {
    expect(loadConfig({})).toMatchObject({ slowQueryMs: 100, logSql: false });
  });

  it('read SLOW_QUERY_MS in milliseconds (0 logs every statement) and LOG_SQL as a boolean', () => {
    expect(loadConfig({ SLOW_QUERY_MS: '0', LOG_SQL: 'true' })).toMatchObject({ slowQueryMs: 0, logSql: true });
    expect(loadConfig({ SLOW_QUERY_MS: '250', LOG_SQL: '0' })).toMatchObject({ slowQueryMs: 250, logSql: false });
  });

  it('name each invalid value', () => {
    const thrown = catchError(() => loadConfig({ SLOW_QUERY_MS: '1.5', LOG_SQL: 'yes' }));
    expect(thrown).toBeInstanceOf(ConfigError);
    const problems = (thrown as ConfigError).problems;
    expect(problems.some((problem) => problem.startsWith('SLOW_QUERY_MS'))).toBe(true);
    expect(problems.some((problem) => problem.startsWith('LOG_SQL'))).toBe(true);
  });
});

function catchError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  return undefined;
}
