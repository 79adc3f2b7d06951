import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { problemsOf } from '../helpers/config-problems.js';

const PRODUCTION = { NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(32), DATABASE_URL: 'postgres://db/arya' };
const TOKEN = 'metrics-token-0123456789';

describe('metrics settings', () => {
  it('serve /metrics to anyone outside production, and nowhere in production until configured', () => {
    expect(loadConfig({}).metrics).toEqual({ onMainListener: 'public', token: undefined, listener: undefined });
    expect(loadConfig(PRODUCTION).metrics).toEqual({ onMainListener: 'off', token: undefined, listener: undefined });
  });

  it('put /metrics behind METRICS_TOKEN on the main listener, in production or not', () => {
    expect(loadConfig({ ...PRODUCTION, METRICS_TOKEN: TOKEN }).metrics).toMatchObject({ onMainListener: 'bearer', token: TOKEN });
    expect(loadConfig({ METRICS_TOKEN: TOKEN }).metrics.onMainListener).toBe('bearer');
  });

  it('move /metrics to a listener of its own, on loopback unless METRICS_HOST says otherwise', () => {
    expect(loadConfig({ METRICS_PORT: '9464' }).metrics).toEqual({ onMainListener: 'off', token: undefined, listener: { host: '127.0.0.1', port: 9464 } });
    expect(loadConfig({ ...PRODUCTION, METRICS_HOST: '10.0.0.5', METRICS_PORT: '9464' }).metrics.listener).toEqual({ host: '10.0.0.5', port: 9464 });
  });

  it('name a short token, a host without a port and a port taken by the API', () => {
    expect(problemsOf({ METRICS_TOKEN: 'short' })).toEqual([expect.stringContaining('METRICS_TOKEN')]);
    expect(problemsOf({ METRICS_HOST: '0.0.0.0' })).toEqual([expect.stringContaining('METRICS_HOST')]);
    expect(problemsOf({ METRICS_PORT: '4000' })).toEqual([expect.stringContaining('METRICS_PORT')]);
    expect(problemsOf({ METRICS_PORT: '70000' })).toEqual([expect.stringContaining('METRICS_PORT')]);
  });
});

describe('HTTP timeouts', () => {
  it('default to 30 s for a whole request, 10 s of silence and 72 s of idle keep-alive', () => {
    expect(loadConfig({}).http).toEqual({ requestTimeoutMs: 30_000, connectionTimeoutMs: 10_000, keepAliveTimeoutMs: 72_000 });
  });

  it('are read from the environment, and none may be turned off', () => {
    expect(loadConfig({ HTTP_REQUEST_TIMEOUT_MS: '500', HTTP_CONNECTION_TIMEOUT_MS: '200', HTTP_KEEP_ALIVE_TIMEOUT_MS: '5000' }).http).toEqual({
      requestTimeoutMs: 500,
      connectionTimeoutMs: 200,
      keepAliveTimeoutMs: 5_000,
    });
    const problems = problemsOf({ HTTP_REQUEST_TIMEOUT_MS: '0', HTTP_CONNECTION_TIMEOUT_MS: '0', HTTP_KEEP_ALIVE_TIMEOUT_MS: 'soon' });
    for (const name of ['HTTP_REQUEST_TIMEOUT_MS', 'HTTP_CONNECTION_TIMEOUT_MS', 'HTTP_KEEP_ALIVE_TIMEOUT_MS']) {
      expect(problems, name).toContainEqual(expect.stringContaining(name));
    }
  });
});
