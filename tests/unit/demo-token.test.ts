import { describe, expect, it } from 'vitest';
import { isLoopbackHost, mayEmbedDemoToken } from '../../src/auth/demo-token.js';
import { loadConfig } from '../../src/config.js';

const DATABASE_URL = 'postgres://arya@127.0.0.1:5432/arya';

describe('the demo token in the Sandbox page', () => {
  it('is embedded on the embedded database listening on loopback: the newcomer\'s npm start', () => {
    expect(mayEmbedDemoToken(loadConfig({}))).toBe(true);
    expect(mayEmbedDemoToken(loadConfig({ HOST: 'localhost' }))).toBe(true);
    expect(mayEmbedDemoToken(loadConfig({ HOST: '::1' }))).toBe(true);
  });

  it('is not embedded by a server on every interface, even on the embedded database', () => {
    expect(mayEmbedDemoToken(loadConfig({ HOST: '0.0.0.0' }))).toBe(false);
    expect(mayEmbedDemoToken(loadConfig({ HOST: '::' }))).toBe(false);
    expect(mayEmbedDemoToken(loadConfig({ HOST: '10.1.2.3' }))).toBe(false);
  });

  it('is not embedded with DATABASE_URL and no NODE_ENV, even on loopback: real data, real users', () => {
    expect(mayEmbedDemoToken(loadConfig({ DATABASE_URL }))).toBe(false);
    expect(mayEmbedDemoToken(loadConfig({ DATABASE_URL, HOST: '0.0.0.0' }))).toBe(false);
  });

  it('is never embedded in production', () => {
    expect(mayEmbedDemoToken(loadConfig({ NODE_ENV: 'production', DATABASE_URL, JWT_SECRET: 'x'.repeat(32), DB_SSL: 'false' }))).toBe(false);
  });

  it('knows loopback from wildcards and look-alikes', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', 'localhost', 'LOCALHOST', '::1', '[::1]', '0:0:0:0:0:0:0:1']) expect(isLoopbackHost(host), host).toBe(true);
    for (const host of ['0.0.0.0', '::', '128.0.0.1', 'localhost.example.com', '192.168.1.1', '::2']) expect(isLoopbackHost(host), host).toBe(false);
  });
});
