import websocket from '@fastify/websocket';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Socket } from 'node:net';
import type { WebSocket } from 'ws';
import { LRUCache } from 'lru-cache';
import { GraphQLError, Kind, getOperationAST, parse, specifiedRules, validate, type DocumentNode, type GraphQLSchema, type ParseOptions, type ValidationRule } from 'graphql';
import { CloseCode } from 'graphql-ws';
import { makeHandler } from 'graphql-ws/use/@fastify/websocket';
import type { TokenIssuer } from '../auth/tokens.js';
import type { Viewer } from '../auth/viewer.js';
import type { Cache } from '../cache/cache.js';
import type { Config } from '../config.js';
import type { Db } from '../db/database.js';
import { ApiError, ErrorCode, createFormatError } from '../errors.js';
import { parseId } from '../ids.js';
import { documentLimitErrors } from '../limits/document-limits.js';
import { userExists } from '../users/user.repository.js';
import { LiveContext } from './live-context.js';
import type { LiveHub, LiveSession } from './live-hub.js';
import { createSharedSubscribe } from './shared-execution.js';

/** Closed with this once the token in connection_init expires: graphql-ws clients retry 4403, asking for a fresh token. */
export const TOKEN_EXPIRED_CLOSE = { code: CloseCode.Forbidden, reason: 'Token expired' } as const;
/** Every socket, on SIGTERM: "going away", so clients reconnect (to another instance). */
export const SHUTDOWN_CLOSE = { code: 1001, reason: 'Server shutting down' } as const;

export interface TransportDeps {
  readonly config: Config;
  readonly schema: GraphQLSchema;
  readonly db: Db;
  readonly cache: Cache;
  readonly tokens: TokenIssuer;
  readonly hub: LiveHub;
  /** The query limits of the HTTP path (depth, aliases, cost): the same document is refused the same way. */
  readonly validationRules: readonly ValidationRule[];
  readonly parseOptions: ParseOptions;
}

interface Connection {
  session?: LiveSession;
  expiry?: NodeJS.Timeout;
}

/**
 * graphql-ws on GET /graphql through @fastify/websocket: an upgrade request
 * reaches this route (a route constraint on the Upgrade header), any other GET
 * the HTTP route. The token comes in connection_init (`authorization` or
 * `token`); without a valid one the socket is closed with 4403, and with one,
 * it is closed when the token expires. Only subscriptions run here: queries
 * and mutations take the HTTP path with its caches and limits.
 */
export async function registerSubscriptionTransport(app: FastifyInstance, deps: TransportDeps): Promise<void> {
  const { config, hub } = deps;
  const limits = config.subscriptions;
  await app.register(websocket, {
    options: { maxPayload: limits.maxMessageBytes },
    preClose(done) {
      for (const client of app.websocketServer.clients) client.close(SHUTDOWN_CLOSE.code, SHUTDOWN_CLOSE.reason);
      done();
    },
  });
  app.addConstraintStrategy({
    name: 'upgrade',
    storage() {
      const handlers = new Map<string, unknown>();
      return { get: (value: string) => handlers.get(value) ?? null, set: (value: string, store: unknown) => void handlers.set(value, store) };
    },
    deriveConstraint: (request) => request.headers.upgrade?.toLowerCase(),
    mustMatchWhenDerived: false,
  } as Parameters<FastifyInstance['addConstraintStrategy']>[0]);

  const connections = new WeakMap<object, Connection>();
  const formatError = createFormatError({ maskInternalMessages: config.nodeEnv === 'production' });
  const rules = [...specifiedRules, ...deps.validationRules];
  const verifyViewer = async (token: unknown): Promise<{ viewer: Viewer; expiresAt: number } | null> => {
    const raw = typeof token === 'string' ? token.replace(/^Bearer /i, '') : undefined;
    if (!raw) return null;
    const verified = await deps.tokens.verify(raw).catch(() => null);
    const id = verified && parseId(verified.subject);
    if (!verified || !id || !(await userExists(deps.db, id))) return null;
    return { viewer: { id, scopes: verified.scopes }, expiresAt: verified.expiresAt };
  };

  const documents = new DocumentCache((query) => {
    let document;
    try {
      document = parse(query, deps.parseOptions);
    } catch (error) {
      return [error instanceof GraphQLError ? error : new GraphQLError('The document does not parse')];
    }
    const refused = documentLimitErrors(document, config.limits);
    if (refused.length > 0) return refused;
    const errors = validate(deps.schema, document, rules);
    return errors.length > 0 ? errors : document;
  });
  const subscribe = createSharedSubscribe<LiveContext>({
    scopeOf: ({ viewer }) => `${viewer.id}:${[...viewer.scopes].sort().join(',')}`,
    forEvent: (context) => context.forEvent(),
    executed: () => hub.metrics.executions.inc(),
  });

  const handler = makeHandler(
    {
      schema: deps.schema,
      subscribe,
      connectionInitWaitTimeout: limits.initTimeoutMs,
      async onConnect(ctx) {
        const params = ctx.connectionParams ?? {};
        const token = params.authorization ?? params.Authorization ?? params.token ?? ctx.extra.request.headers.authorization;
        const signedIn = await verifyViewer(token);
        if (!signedIn) return false;
        const { socket, request } = ctx.extra;
        const session: LiveSession = { viewer: signedIn.viewer, active: 0, close: (code, reason) => socket.close(code, reason), batchWrites: writeBatcher(request.socket) };
        const connection: Connection = { session };
        connections.set(ctx, connection);
        atInstant(connection, signedIn.expiresAt, () => socket.close(TOKEN_EXPIRED_CLOSE.code, TOKEN_EXPIRED_CLOSE.reason));
        return true;
      },
      onClose(ctx) {
        const connection = connections.get(ctx);
        if (connection?.expiry) clearTimeout(connection.expiry);
      },
      onSubscribe(ctx, id, payload) {
        const session = connections.get(ctx)?.session;
        if (!session) return [new GraphQLError('Not signed in', { extensions: { code: ErrorCode.UNAUTHENTICATED } })];
        const document = documents.get(payload.query);
        if (!('kind' in document)) return [...document];
        const operation = getOperationAST(document, payload.operationName);
        if (operation?.operation !== 'subscription' || operation.kind !== Kind.OPERATION_DEFINITION) {
          return [new ApiError(ErrorCode.BAD_REQUEST, 'Only subscriptions run over WebSocket: send queries and mutations over HTTP')];
        }
        const contextValue = new LiveContext(`ws-${id}`, session.viewer, deps.db, ctx.extra.request.log, deps.cache, config, hub, session);
        return { schema: deps.schema, document, operationName: payload.operationName, variableValues: payload.variables, contextValue };
      },
      onError: (_ctx, _id, _payload, errors) => errors.map((error) => formatError(error.toJSON(), error)),
      onNext: (_ctx, _id, _payload, _args, result) =>
        result.errors ? { ...result, errors: result.errors.map((error) => formatError(error.toJSON(), error)) } : undefined,
    },
    limits.keepAliveMs,
  );

  app.route({
    method: 'GET',
    url: '/graphql',
    constraints: { upgrade: 'websocket' },
    websocket: true,
    handler(this: FastifyInstance, socket: WebSocket, request: FastifyRequest) {
      hub.metrics.sockets.inc();
      socket.once('close', () => hub.metrics.sockets.dec());
      return handler.call(this, socket, request);
    },
  } as never);
}

/** Distinct documents kept parsed and validated: clients send a handful of texts, 10,000 times over. */
const DOCUMENTS_MAX = 500;

/**
 * Each distinct query text parsed, limited and validated once, and the
 * document shared by every subscription that sent it (a parsed document is a
 * few KB, held for the subscription's life).
 * Refusals are not kept: a client cannot fill this with bad documents.
 */
class DocumentCache {
  private readonly byText = new LRUCache<string, DocumentNode>({ max: DOCUMENTS_MAX });

  constructor(private readonly prepare: (query: string) => DocumentNode | readonly GraphQLError[]) {}

  get(query: string): DocumentNode | readonly GraphQLError[] {
    const known = this.byText.get(query);
    if (known) return known;
    const prepared = this.prepare(query);
    if ('kind' in prepared) this.byText.set(query, prepared);
    return prepared;
  }
}

/**
 * Corks the connection's TCP stream (the upgraded request's socket, which ws
 * writes its frames to) until setImmediate, which runs once the event's
 * deliveries (promise jobs) are done: the values one event gives the
 * subscriptions of a socket leave in one write(2), not one each (W9: 5 per
 * socket). A value sent later than that is simply not batched.
 */
function writeBatcher(stream: Socket | undefined): (() => void) | undefined {
  if (!stream || typeof stream.cork !== 'function') return undefined;
  let corked = false;
  return () => {
    if (corked) return;
    corked = true;
    stream.cork();
    setImmediate(() => {
      corked = false;
      stream.uncork();
    });
  };
}

/** Node timers hold at most 2^31-1 ms (24.8 days): a 30-day token's expiry is reached in steps. */
const MAX_TIMER_MS = 2_147_483_647;
function atInstant(connection: Connection, instant: number, run: () => void): void {
  const wait = instant - Date.now();
  connection.expiry = wait > MAX_TIMER_MS ? setTimeout(() => atInstant(connection, instant, run), MAX_TIMER_MS) : setTimeout(run, Math.max(0, wait));
}
