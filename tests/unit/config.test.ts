import { describe, it, expect } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { problemsOf } from '../helpers/config-problems.js';

const SECRET = 'x'.repeat(32);
const DATABASE_URL = 'postgres://arya:arya@db.internal:5432/arya';


describe('loadConfig', () => {
  it('gives every setting its default when the environment is empty', () => {
    // toMatchObject: settings that later features add are checked in their own tests.
    expect(loadConfig({})).toMatchObject({
      nodeEnv: 'development',
      host: '127.0.0.1',
      port: 4000,
      logLevel: 'info',
      jwtSecret: undefined,
      database: {
        url: undefined,
        pgliteDataDir: '.data/pglite',
        poolSize: 20,
        connectionTimeoutMs: 30_000,
        statementTimeoutMs: 10_000,
        maxLifetimeSeconds: 3_600,
        ssl: false,
      },
      cache: { mode: 'on', redisUrls: [], cluster: false, commandTimeoutMs: 250, memoryMaxBytes: 256 * 1024 * 1024, tierSeconds: {} },
    });
  });

  it('treats empty and blank variables as unset', () => {
    const config = loadConfig({ PORT: '', HOST: '   ', JWT_SECRET: ' ', DATABASE_URL: '' });
    expect(config.port).toBe(4000);
    expect(config.host).toBe('127.0.0.1');
    expect(config.jwtSecret).toBeUndefined();
    expect(config.database.url).toBeUndefined();
  });

  it('reads every variable when all are valid', () => {
    const config = loadConfig({
      NODE_ENV: 'production',
      HOST: '0.0.0.0',
      PORT: '8080',
      LOG_LEVEL: 'warn',
      JWT_SECRET: SECRET,
      DATABASE_URL,
      PGLITE_DATA_DIR: '/var/lib/arya/pglite',
      DB_POOL_SIZE: '50',
      DB_CONNECTION_TIMEOUT_MS: '5000',
      DB_STATEMENT_TIMEOUT_MS: '2000',
      DB_MAX_LIFETIME_S: '600',
      DB_SSL: 'false',
      REDIS_URL: 'rediss://cache.internal:6380/0',
    });
    expect(config).toMatchObject({
      nodeEnv: 'production',
      host: '0.0.0.0',
      port: 8080,
      logLevel: 'warn',
      jwtSecret: SECRET,
      database: {
        url: DATABASE_URL,
        pgliteDataDir: '/var/lib/arya/pglite',
        poolSize: 50,
        connectionTimeoutMs: 5000,
        statementTimeoutMs: 2000,
        maxLifetimeSeconds: 600,
        ssl: false,
      },
      cache: { redisUrls: ['rediss://cache.internal:6380/0'] },
    });
  });

  it('accepts each NODE_ENV and rejects any other', () => {
    expect(loadConfig({ NODE_ENV: 'development' }).nodeEnv).toBe('development');
    expect(loadConfig({ NODE_ENV: 'test' }).nodeEnv).toBe('test');
    expect(loadConfig({ NODE_ENV: 'production', JWT_SECRET: SECRET, DATABASE_URL }).nodeEnv).toBe('production');
    expect(problemsOf({ NODE_ENV: 'prod' })).toEqual([expect.stringContaining('NODE_ENV')]);
  });

  it('accepts the ends of the PORT range and rejects what lies outside it or is not an integer', () => {
    expect(loadConfig({ PORT: '0' }).port).toBe(0);
    expect(loadConfig({ PORT: '65535' }).port).toBe(65535);
    for (const port of ['65536', '-1', 'abc', '80.5', '1e3', '0x50', '4000abc']) {
      expect(problemsOf({ PORT: port }), port).toEqual([expect.stringContaining('PORT')]);
    }
  });

  it('accepts each log level and rejects an unknown one', () => {
    for (const level of ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']) {
      expect(loadConfig({ LOG_LEVEL: level }).logLevel).toBe(level);
    }
    expect(problemsOf({ LOG_LEVEL: 'verbose' })).toEqual([expect.stringContaining('LOG_LEVEL')]);
  });

  it('rejects a JWT_SECRET shorter than 32 characters', () => {
    expect(loadConfig({ JWT_SECRET: SECRET }).jwtSecret).toBe(SECRET);
    expect(problemsOf({ JWT_SECRET: 'x'.repeat(31) })).toEqual([expect.stringContaining('JWT_SECRET')]);
  });

  it('accepts postgres: and postgresql: database URLs and rejects others', () => {
    expect(loadConfig({ DATABASE_URL }).database.url).toBe(DATABASE_URL);
    expect(loadConfig({ DATABASE_URL: 'postgresql://localhost/arya' }).database.url).toBe('postgresql://localhost/arya');
    expect(problemsOf({ DATABASE_URL: 'mysql://localhost/arya' })).toEqual([expect.stringContaining('DATABASE_URL')]);
    expect(problemsOf({ DATABASE_URL: 'not a url' })).toEqual([expect.stringContaining('DATABASE_URL')]);
  });

  it('accepts redis: and rediss: URLs and rejects others', () => {
    expect(loadConfig({ REDIS_URL: 'redis://localhost:6379' }).cache.redisUrls).toEqual(['redis://localhost:6379']);
    expect(loadConfig({ REDIS_URL: 'rediss://localhost:6380' }).cache.redisUrls).toEqual(['rediss://localhost:6380']);
    expect(loadConfig({ REDIS_URL: 'redis://a:7000, redis://b:7001' }).cache.redisUrls).toEqual(['redis://a:7000', 'redis://b:7001']);
    expect(problemsOf({ REDIS_URL: 'http://localhost:6379' })).toEqual([expect.stringContaining('REDIS_URL')]);
    expect(problemsOf({ REDIS_URL: '::::' })).toEqual([expect.stringContaining('REDIS_URL')]);
  });

  it('wants the nodes of a Redis Cluster reached with one scheme, user and password (ioredis takes them once)', () => {
    const nodes = 'redis://arya:secret@a:7000,redis://arya:secret@b:7001';
    expect(loadConfig({ REDIS_URL: nodes, REDIS_CLUSTER: 'true' }).cache.redisUrls).toHaveLength(2);
    expect(problemsOf({ REDIS_URL: 'redis://arya:secret@a:7000,rediss://arya:secret@b:7001', REDIS_CLUSTER: 'true' })).toEqual([
      expect.stringContaining('REDIS_URL'),
    ]);
    expect(problemsOf({ REDIS_URL: 'redis://arya:secret@a:7000,redis://b:7001', REDIS_CLUSTER: 'true' })).toEqual([expect.stringContaining('REDIS_URL')]);
  });

  it('reads the cache mode and tier overrides', () => {
    expect(loadConfig({}).cache.mode).toBe('on');
    expect(loadConfig({ CACHE_MODE: 'off' }).cache.mode).toBe('off');
    expect(loadConfig({ CACHE_TTL_SHORT_S: '30' }).cache.tierSeconds).toEqual({ short: 30 });
    expect(problemsOf({ CACHE_MODE: 'maybe', CACHE_TTL_LONG_S: '0' })).toEqual([
      expect.stringContaining('CACHE_MODE'),
      expect.stringContaining('CACHE_TTL_LONG_S'),
    ]);
  });

  it('checks the range of every database integer', () => {
    const ranges: [name: string, min: number, max: number][] = [
      ['DB_POOL_SIZE', 1, 1000],
      ['DB_CONNECTION_TIMEOUT_MS', 1, 600_000],
      ['DB_STATEMENT_TIMEOUT_MS', 1, 3_600_000],
      ['DB_MAX_LIFETIME_S', 1, 86_400],
    ];
    for (const [name, min, max] of ranges) {
      expect(() => loadConfig({ [name]: String(min) }), name).not.toThrow();
      expect(() => loadConfig({ [name]: String(max) }), name).not.toThrow();
      expect(problemsOf({ [name]: String(min - 1) })).toEqual([expect.stringContaining(name)]);
      expect(problemsOf({ [name]: String(max + 1) })).toEqual([expect.stringContaining(name)]);
      expect(problemsOf({ [name]: 'ten' })).toEqual([expect.stringContaining(name)]);
    }
  });

  it('reads DB_SSL as true, false, 1 or 0 and rejects anything else', () => {
    expect(loadConfig({ DB_SSL: 'true' }).database.ssl).toBe(true);
    expect(loadConfig({ DB_SSL: '1' }).database.ssl).toBe(true);
    expect(loadConfig({ DB_SSL: 'false' }).database.ssl).toBe(false);
    expect(loadConfig({ DB_SSL: '0' }).database.ssl).toBe(false);
    expect(problemsOf({ DB_SSL: 'yes' })).toEqual([expect.stringContaining('DB_SSL')]);
  });

  it('turns SSL on by default in production only', () => {
    expect(loadConfig({ NODE_ENV: 'development' }).database.ssl).toBe(false);
    expect(loadConfig({ NODE_ENV: 'production', JWT_SECRET: SECRET, DATABASE_URL }).database.ssl).toBe(true);
  });

  it('requires JWT_SECRET and DATABASE_URL in production', () => {
    const problems = problemsOf({ NODE_ENV: 'production' });
    expect(problems).toHaveLength(2);
    expect(problems).toEqual(
      expect.arrayContaining([expect.stringContaining('JWT_SECRET'), expect.stringContaining('DATABASE_URL')]),
    );
  });

  it('does not require JWT_SECRET or DATABASE_URL outside production', () => {
    expect(() => loadConfig({ NODE_ENV: 'development' })).not.toThrow();
    expect(() => loadConfig({ NODE_ENV: 'test' })).not.toThrow();
  });

  it('collects every problem into one ConfigError naming each variable', () => {
    const names = [
      'NODE_ENV',
      'PORT',
      'LOG_LEVEL',
      'JWT_SECRET',
      'DATABASE_URL',
      'DB_POOL_SIZE',
      'DB_CONNECTION_TIMEOUT_MS',
      'DB_STATEMENT_TIMEOUT_MS',
      'DB_MAX_LIFETIME_S',
      'DB_SSL',
      'REDIS_URL',
    ];
    const problems = problemsOf({
      NODE_ENV: 'staging',
      PORT: 'http',
      LOG_LEVEL: 'loud',
      JWT_SECRET: 'short',
      DATABASE_URL: 'mongodb://localhost',
      DB_POOL_SIZE: '0',
      DB_CONNECTION_TIMEOUT_MS: '-5',
      DB_STATEMENT_TIMEOUT_MS: '1.5',
      DB_MAX_LIFETIME_S: '86401',
      DB_SSL: 'maybe',
      REDIS_URL: 'memcached://localhost',
    });
    expect(problems).toHaveLength(names.length);
    for (const name of names) {
      expect(problems.filter((problem) => problem.startsWith(`${name} `)), name).toHaveLength(1);
    }
  });

  it('returns a deeply frozen config', () => {
    const config = loadConfig({ NODE_ENV: 'production', JWT_SECRET: SECRET, DATABASE_URL });
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.database)).toBe(true);
    expect(() => {
      (config as { port: number }).port = 1;
    }).toThrow(TypeError);
    expect(() => {
      (config.database as { poolSize: number }).poolSize = 1;
    }).toThrow(TypeError);
  });
});
