import { randomBytes } from 'node:crypto';
import { pino } from 'pino';
import type { Scope } from '../src/auth/scopes.js';
import { createTokenIssuer } from '../src/auth/tokens.js';
import type { Cache } from '../src/cache/cache.js';
import type { Config } from '../src/config.js';
import type { DatabaseHandle } from '../src/db/connect.js';
import type { SqlTracker } from '../src/db/sql-tracker.js';
import { createSchema } from '../src/schema.js';
import { createServer, type Server } from '../src/server.js';

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
