import { randomUUID } from 'node:crypto';
import { pino } from 'pino';
import { createTokenIssuer, type TokenIssuer } from '../../src/auth/tokens.js';
import type { Cache } from '../../src/cache/cache.js';
import { createCache } from '../../src/cache/create-cache.js';
import { loadConfig, type Config } from '../../src/config.js';
import { connectDatabase, type DatabaseHandle } from '../../src/db/connect.js';
import { SqlTracker } from '../../src/db/sql-tracker.js';
import { createMetrics, type Metrics } from '../../src/observability/metrics.js';
import { createRateLimiter, type RateLimiter } from '../../src/resilience/rate-limiter.js';
import { connectRateLimitRedis } from '../../src/resilience/redis-client.js';
import { createSchema } from '../../src/schema.js';
import { createServer, type Server } from '../../src/server.js';
import { insertUser } from '../../src/users/user.repository.js';
import { GENEROUS_BUDGETS, type TestUser } from './test-api.js';

export const FAULT_JWT_SECRET = 'fault-test-secret-that-is-long-enough!';

/** The API as main.ts wires it (gate, rate limiter, cache), listening on a spare loopback port. */
export interface FaultApi {
  readonly config: Config;
  readonly server: Server;
  readonly database: DatabaseHandle;
  readonly cache: Cache;
  readonly metrics: Metrics;
  readonly tokens: TokenIssuer;
  /** http://127.0.0.1:<port> */
  readonly origin: string;
  /** Warnings the server logged: pool errors, refused connections. */
  readonly warnings: readonly string[];
  createUser(): Promise<TestUser>;
  /** One GraphQL request over HTTP. */
  post(query: string, variables?: Record<string, unknown>, user?: TestUser): Promise<{ status: number; headers: Headers; json: GraphQLJson }>;
  close(): Promise<void>;
}

export interface GraphQLJson {
  readonly data?: Record<string, unknown> | null;
  readonly errors?: readonly { message: string; extensions?: Record<string, unknown> }[];
}

export async function startFaultApi(env: Record<string, string>): Promise<FaultApi> {
  const config = loadConfig({ NODE_ENV: 'test', JWT_SECRET: FAULT_JWT_SECRET, LOG_LEVEL: 'silent', ...GENEROUS_BUDGETS, ...env });
  const warnings: string[] = [];
  const logger = pino({ level: 'warn' }, { write: (line: string) => void warnings.push(line) });
  const metrics = createMetrics();
  const tracker = new SqlTracker();
  const database = await connectDatabase(config.database, {
    tracker,
    onPoolError: (error) => warnings.push(`pool error: ${error.message}`),
    gate: { ...config.databaseGate, onShed: () => metrics.rateLimit.rejections.inc({ reason: 'db_gate' }) },
  });
  const cache = createCache(config.cache);
  const rateLimiter: RateLimiter = createRateLimiter(config.rateLimit, {
    redis: config.cache.redisUrls.length > 0 ? connectRateLimitRedis(config.cache) : undefined,
  });
  const tokens = createTokenIssuer(FAULT_JWT_SECRET);
  const server = await createServer({ config, database, tracker, tokens, schema: await createSchema(), logger, cache, metrics, rateLimiter });
  const origin = await server.app.listen({ host: '127.0.0.1', port: 0 });

  return {
    config,
    server,
    database,
    cache,
    metrics,
    tokens,
    origin,
    warnings,
    async createUser() {
      const user = await insertUser(database.db, { email: `${randomUUID()}@test.arya.dev`, displayName: 'Fault Test' });
      return { id: user.id, email: user.email, token: await tokens.sign(user.id) };
    },
    async post(query, variables, user) {
      const response = await fetch(`${origin}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(user ? { authorization: `Bearer ${user.token}` } : {}) },
        body: JSON.stringify({ query, variables }),
        signal: AbortSignal.timeout(15_000),
      });
      return { status: response.status, headers: response.headers, json: (await response.json()) as GraphQLJson };
    },
    async close() {
      await server.app.close();
      await server.apollo.stop();
      await rateLimiter.close();
      await database.close();
      await cache.close();
    },
  };
}
