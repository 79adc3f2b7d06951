import { randomBytes } from 'node:crypto';
import { pino } from 'pino';
import type { Scope } from './auth/scopes.js';
import { createTokenIssuer } from './auth/tokens.js';
import type { Cache } from './cache/cache.js';
import type { Config } from './config.js';
import type { DatabaseHandle } from './db/connect.js';
import type { SqlTracker } from './db/sql-tracker.js';
import { createSchema } from './schema.js';
import { createServer, type Server } from './server.js';

export interface ToolServerDeps {
  readonly config: Config;
  readonly database: DatabaseHandle;
  readonly tracker: SqlTracker;
  readonly cache: Cache;
}

export interface ToolServer {
  readonly server: Server;
  /** A short-lived bearer token for this user, valid on this server only: a user token unless scopes are given. */
  tokenFor(userId: string, scopes?: readonly Scope[]): Promise<string>;
  close(): Promise<void>;
}

/**
 * The real server (schema, context, loaders, cache) inside a command such as
 * explain or cache:warm, called through Fastify's inject as a user. The server
 * is the command's alone, so a throwaway secret signs and verifies its tokens.
 */
export async function startToolServer(deps: ToolServerDeps): Promise<ToolServer> {
  const tokens = createTokenIssuer(randomBytes(32).toString('base64url'));
  const server = await createServer({ ...deps, tokens, schema: await createSchema(), logger: pino({ level: 'silent' }) });
  await server.app.ready();
  return {
    server,
    tokenFor: (userId, scopes) => tokens.sign(userId, '5m', scopes),
    async close() {
      await server.app.close();
      await server.apollo.stop();
    },
  };
}
