import { randomUUID } from 'node:crypto';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import {
  ApolloServerPluginLandingPageLocalDefault,
  ApolloServerPluginLandingPageProductionDefault,
} from '@apollo/server/plugin/landingPage/default';
import { fastifyApolloDrainPlugin, fastifyApolloHandler } from '@as-integrations/fastify';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { GraphQLSchema } from 'graphql';
import type { TokenIssuer } from './auth/tokens.js';
import { createViewerResolver } from './auth/viewer.js';
import type { Config } from './config.js';
import { Context } from './context.js';
import type { DatabaseHandle } from './db/connect.js';
import type { SqlStats, SqlTracker } from './db/sql-tracker.js';
import { ErrorCode, createFormatError } from './errors.js';

export interface ServerDeps {
  readonly config: Config;
  readonly database: DatabaseHandle;
  readonly tracker: SqlTracker;
  readonly tokens: TokenIssuer;
  readonly schema: GraphQLSchema;
  readonly logger: FastifyBaseLogger;
  /** Development only: Sandbox opens with this token in its Authorization header. */
  readonly sandboxToken?: string | undefined;
}

export interface Server {
  readonly app: FastifyInstance;
  readonly apollo: ApolloServer<Context>;
}

declare module 'fastify' {
  interface FastifyRequest {
    sqlStats: SqlStats;
    graphqlContext?: Context;
  }
}

/** Fastify in front, Apollo Server 5 on /graphql (GET and POST), health probes beside it. */
export async function createServer(deps: ServerDeps): Promise<Server> {
  const production = deps.config.nodeEnv === 'production';
  const app = Fastify({
    loggerInstance: deps.logger,
    // One line per GraphQL request, written below with the operation and its SQL cost.
    logController: new LogController({ disableRequestLogging: true }),
    requestIdHeader: 'x-request-id',
    genReqId: () => randomUUID(),
  });

  const apollo = new ApolloServer<Context>({
    schema: deps.schema,
    introspection: !production,
    includeStacktraceInErrorResponses: false,
    formatError: createFormatError({ maskInternalMessages: production }),
    plugins: [fastifyApolloDrainPlugin(app), landingPage(production, deps.sandboxToken), errorLogging()],
  });
  await apollo.start();

  const resolveViewer = createViewerResolver(deps.tokens, deps.database.db);
  const graphqlHandler = fastifyApolloHandler(apollo, {
    context: async (request) => {
      const context = new Context(request.id, await resolveViewer(request.headers.authorization), deps.database.db, request.log);
      request.graphqlContext = context;
      return context;
    },
  });

  app.route<{ Reply: string }>({
    method: ['GET', 'POST', 'OPTIONS'],
    url: '/graphql',
    // Every statement the operation sends is counted against this request.
    handler(request, reply) {
      request.sqlStats = { statements: 0, durationMs: 0 };
      return deps.tracker.track(request.sqlStats, () => graphqlHandler.call(this, request, reply));
    },
  });

  app.addHook('onResponse', async (request, reply) => {
    if (!request.sqlStats) return;
    request.log.info(
      {
        operation: request.graphqlContext?.operationName,
        status: reply.statusCode,
        durationMs: Math.round(reply.elapsedTime * 100) / 100,
        sqlStatements: request.sqlStats.statements,
        sqlMs: Math.round(request.sqlStats.durationMs * 100) / 100,
      },
      'graphql request',
    );
  });

  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    try {
      await deps.database.db.selectNoFrom((eb) => eb.lit(1).as('one')).execute();
      return { status: 'ready', database: 'up' };
    } catch {
      return reply.code(503).send({ status: 'unready', database: 'down' });
    }
  });

  return { app, apollo };
}

function landingPage(production: boolean, sandboxToken: string | undefined) {
  if (production) return ApolloServerPluginLandingPageProductionDefault({ footer: false });
  return ApolloServerPluginLandingPageLocalDefault({
    footer: false,
    embed: sandboxToken ? { initialState: { sharedHeaders: { Authorization: `Bearer ${sandboxToken}` } } } : true,
  });
}

/** Names the operation for the request log, and logs unexpected errors with the request id before they are masked. */
function errorLogging(): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ contextValue, operationName }) {
          contextValue.operationName = operationName ?? undefined;
        },
        async didEncounterErrors({ contextValue, errors }) {
          for (const error of errors) {
            const code = error.extensions.code;
            if (code === undefined || code === ErrorCode.INTERNAL_SERVER_ERROR) {
              contextValue.log.error({ err: error.originalError ?? error, path: error.path }, 'unexpected error in operation');
            }
          }
        },
      };
    },
  };
}
