import { expect } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

/** The problems of the ConfigError that loadConfig throws for env; fails the test if it does not throw. */
export function problemsOf(env: Record<string, string | undefined>): readonly string[] {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error('expected loadConfig to throw a ConfigError');
}
