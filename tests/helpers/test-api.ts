import { randomBytes, randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print, type GraphQLSchema } from 'graphql';
import { pino } from 'pino';
import { inject } from 'vitest';
import { Scope } from '../../src/auth/scopes.js';
import { createTokenIssuer, type TokenIssuer } from '../../src/auth/tokens.js';
import { loadConfig, type Config } from '../../src/config.js';
import { connectDatabase, type DatabaseHandle } from '../../src/db/connect.js';
import type { Db } from '../../src/db/database.js';
import { SqlTracker } from '../../src/db/sql-tracker.js';
import { createSchema } from '../../src/schema.js';
import { createCache } from '../../src/cache/create-cache.js';
import type { Cache } from '../../src/cache/cache.js';
import { createServer, type Server, type ServerDeps } from '../../src/server.js';
import { insertUser } from '../../src/users/user.repository.js';
import { adminQuery } from './global-setup.js';
import { backendKind, databaseUrl } from './backend.js';

/** A signed-in user of the test API. */
export interface TestUser {
  readonly id: string;
  readonly email: string;
  readonly token: string;
}

/** A new user: signed in with a user token, and (`agent`) with an agent token that may also write what the agent writes. */
export interface NewTestUser extends TestUser {
  readonly agent: TestUser;
}

export interface GraphQLResponse<TData> {
  readonly status: number;
  readonly data?: TData | null;
  readonly errors?: readonly { message: string; path?: readonly (string | number)[]; extensions?: Record<string, unknown> }[];
  readonly headers: Record<string, string | string[] | number | undefined>;
}

/** The `extensions.code` of each error of a response, in order; [] when it has none. */
export const errorCodesOf = (response: GraphQLResponse<unknown>): unknown[] => (response.errors ?? []).map((error) => error.extensions?.code);

export interface ExecuteOptions {
  /** Sent as `Authorization: Bearer <token>`; anonymous when absent. */
  readonly as?: TestUser | undefined;
  readonly headers?: Record<string, string>;
}

export interface TestApi {
  readonly db: Db;
  readonly config: Config;
  readonly tokens: TokenIssuer;
  readonly server: Server;
  createUser(displayName?: string): Promise<NewTestUser>;
  execute<TData, TVariables>(
    document: TypedDocumentNode<TData, TVariables>,
    variables?: TVariables,
    options?: ExecuteOptions,
  ): Promise<GraphQLResponse<TData>>;
  /** Runs `fn` and answers what it returned with the SQL statements sent meanwhile. */
  recordSql<T>(fn: () => Promise<T>): Promise<{ result: T; statements: string[] }>;
  /** This server's cache (Redis when the env names it). */
  readonly cache: Cache;
  /** What the server itself was given: for code that builds a server of its own (cache:warm). */
  readonly database: DatabaseHandle;
  readonly tracker: SqlTracker;
  /**
   * Another instance of the API over the same database handle (and SQL
   * tracker: recordSql of either sees both), with its own cache client and
   * in-process state, configured by the same env plus `env`. Its close()
   * leaves the database to the first instance.
   */
  startSibling(env?: Record<string, string>, deps?: TestServerDeps): Promise<TestApi>;
  close(): Promise<void>;
}

/** What a test may hand the server itself: a logger to read its lines, metrics to read them directly. */
export type TestServerDeps = Partial<Pick<ServerDeps, 'logger' | 'metrics' | 'rateLimiter' | 'lifecycle'>>;

const TEST_SECRET = 'test-secret-that-is-long-enough-for-hs256!';
let schema: Promise<GraphQLSchema> | undefined;

/**
 * The real server (schema, context, loaders, Fastify, Apollo) over this test
 * file's own database; requests go through Fastify's inject, so the HTTP path,
 * the auth header and the error formatting are the ones clients get.
 */
/** The production budgets (a tenth of a core per viewer) would refuse a test's bursts and load loops: rate-limit tests set their own. */
export const GENEROUS_BUDGETS = { RATE_LIMIT_POINTS: '1000000000', RATE_LIMIT_ANONYMOUS_POINTS: '1000000000', RATE_LIMIT_WINDOW_S: '60' } as const;

export async function startTestApi(env: Record<string, string> = {}, deps: TestServerDeps = {}): Promise<TestApi> {
  const isolated = await isolatedDatabase();
  // GRAPHQL_EXECUTOR=graphql-js runs the suite on the other executor (src/execution/).
  const executor: Record<string, string> = process.env.GRAPHQL_EXECUTOR === undefined ? {} : { GRAPHQL_EXECUTOR: process.env.GRAPHQL_EXECUTOR };
  const baseEnv = { NODE_ENV: 'test', JWT_SECRET: TEST_SECRET, LOG_LEVEL: 'silent', ...GENEROUS_BUDGETS, ...executor, ...isolated.env, ...env };
  const config = loadConfig(baseEnv);
  const tracker = new SqlTracker();
  // The server's load-shedding gate too (PostgreSQL only), as main.ts opens it.
  const database: DatabaseHandle = await connectDatabase(config.database, { tracker, pgliteSnapshot: isolated.snapshot, gate: config.databaseGate });
  const tokens = createTokenIssuer(TEST_SECRET);
  schema ??= createSchema();
  const cache = createCache(config.cache);
  const server = await createServer({ config, database, tracker, tokens, schema: await schema, logger: pino({ level: 'silent' }), cache, ...deps });
  await server.app.ready();
  const release = async () => {
    await database.close();
    await isolated.drop();
  };
  return serveTestApi({ baseEnv, config, database, tracker, tokens, server, cache, release });
}

interface ServedApi {
  readonly baseEnv: Record<string, string>;
  readonly config: Config;
  readonly database: DatabaseHandle;
  readonly tracker: SqlTracker;
  readonly tokens: TokenIssuer;
  readonly server: Server;
  readonly cache: Cache;
  /** What closing this instance frees besides its server and cache. */
  readonly release: () => Promise<void>;
}

function serveTestApi(served: ServedApi): TestApi {
  const { config, database, tracker, tokens, server, cache } = served;
  return {
    db: database.db,
    config,
    tokens,
    server,
    cache,
    database,
    tracker,

    async createUser(displayName = 'Test User') {
      const user = await insertUser(database.db, { email: `${randomUUID()}@test.arya.dev`, displayName });
      const signedIn = { id: user.id, email: user.email };
      const [token, agentToken] = await Promise.all([tokens.sign(user.id), tokens.sign(user.id, undefined, [Scope.AGENT])]);
      return { ...signedIn, token, agent: { ...signedIn, token: agentToken } };
    },

    async execute(document, variables, options = {}) {
      const response = await server.app.inject({
        method: 'POST',
        url: '/graphql',
        headers: {
          'content-type': 'application/json',
          ...(options.as ? { authorization: `Bearer ${options.as.token}` } : {}),
          ...options.headers,
        },
        payload: JSON.stringify({ query: print(document), variables }),
      });
      return { status: response.statusCode, headers: response.headers, ...response.json() };
    },

    async recordSql(fn) {
      const statements: string[] = [];
      const unsubscribe = tracker.subscribe((event) => statements.push(event.sql));
      try {
        return { result: await fn(), statements };
      } finally {
        unsubscribe();
      }
    },

    async startSibling(env = {}, deps = {}) {
      const siblingEnv = { ...served.baseEnv, ...env };
      const siblingConfig = loadConfig(siblingEnv);
      const siblingCache = createCache(siblingConfig.cache);
      const logger = pino({ level: 'silent' });
      const siblingServer = await createServer({ config: siblingConfig, database, tracker, tokens, schema: await schema!, logger, cache: siblingCache, ...deps });
      await siblingServer.app.ready();
      const siblingParts = { config: siblingConfig, server: siblingServer, cache: siblingCache, release: async () => {} };
      return serveTestApi({ ...served, baseEnv: siblingEnv, ...siblingParts });
    },

    async close() {
      await server.app.close();
      await server.apollo.stop();
      await cache.close();
      await served.release();
    },
  };
}

interface IsolatedDatabase {
  readonly env: Record<string, string>;
  readonly snapshot: Blob | undefined;
  readonly drop: () => Promise<void>;
}

async function isolatedDatabase(): Promise<IsolatedDatabase> {
  if (backendKind() === 'pglite') {
    const snapshot = new Blob([await readFile(inject('pgliteSnapshot'))]);
    return { env: {}, snapshot, drop: async () => {} };
  }
  const adminUrl = process.env.DATABASE_URL!;
  const name = `arya_test_${randomBytes(6).toString('hex')}`;
  await adminQuery(adminUrl, `create database ${name} template ${inject('templateDatabase')}`);
  return {
    env: { DATABASE_URL: databaseUrl(adminUrl, name), DB_POOL_SIZE: '10' },
    snapshot: undefined,
    drop: () => adminQuery(adminUrl, `drop database if exists ${name} with (force)`),
  };
}
