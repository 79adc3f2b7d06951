import type { Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { HttpConfig } from '../config.js';

/** Node checks running requests against requestTimeout this often at most (its own default is every 30 s). */
const MAX_CHECK_INTERVAL_MS = 1_000;
/** Node's own bound on receiving the headers. */
const NODE_HEADERS_TIMEOUT_MS = 60_000;

/**
 * Fastify's options for clients that are slow on purpose or by accident.
 * Fastify turns requestTimeout and connectionTimeout off by default: a body
 * sent a byte a minute would hold its socket and its parser forever.
 * - requestTimeout bounds the whole request, however steadily it trickles in
 *   (answered 408), checked every second so the bound holds to the second;
 * - connectionTimeout closes a socket silent that long (half-sent headers, an
 *   unread answer); boundClientSilence keeps it off the client while the
 *   server works;
 * - keepAliveTimeout closes an idle kept-alive connection.
 */
export function httpTimeouts(config: HttpConfig) {
  return {
    requestTimeout: config.requestTimeoutMs,
    connectionTimeout: config.connectionTimeoutMs,
    keepAliveTimeout: config.keepAliveTimeoutMs,
    http: {
      connectionsCheckingInterval: Math.min(MAX_CHECK_INTERVAL_MS, config.requestTimeoutMs),
      // Node 20 enforces requestTimeout only while headersTimeout is no longer (as its
      // constructor would require, but Fastify sets requestTimeout after construction).
      headersTimeout: Math.min(NODE_HEADERS_TIMEOUT_MS, config.requestTimeoutMs),
    },
  };
}

/**
 * Node's connection timeout counts any silence on the socket, the server's
 * own included: a request that computes longer than it would lose its socket
 * without an answer. So the clock stops once the request has arrived (body
 * parsed) and starts again when the answer is written, which the client must
 * then read.
 */
export function boundClientSilence(app: FastifyInstance, config: HttpConfig): void {
  const setSilenceBound = (socket: Socket | null | undefined, ms: number) => {
    // Fastify's inject has a socket without timers.
    if (typeof socket?.setTimeout === 'function') socket.setTimeout(ms);
  };
  app.addHook('preValidation', async (request) => {
    setSilenceBound(request.raw.socket, 0);
  });
  app.addHook('onSend', async (request, _reply, payload) => {
    setSilenceBound(request.raw.socket, config.connectionTimeoutMs);
    return payload;
  });
}
