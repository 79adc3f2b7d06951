import { setTimeout as delay } from 'node:timers/promises';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { LRUCache } from 'lru-cache';
import type { Viewer } from '../auth/viewer.js';
import { ErrorCode } from '../errors.js';
import type { RateLimiter, RateSubject } from './rate-limiter.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Whose budget this request spends; set once it has been admitted. */
    rateSubject?: RateSubject;
    /** Units charged when it was admitted: its first and its body's. */
    prepaidUnits?: number;
  }
}

/** Spent budgets remembered by the credentials that spent them; a flood from many addresses can hold no more. */
const SPENT_REMEMBERED_MAX = 100_000;
/**
 * A remembered refusal is answered after this long (or when the window ends, if
 * sooner): a client that ignores Retry-After gets one 429 a second per
 * connection instead of as many as the server can write (measured: 16
 * connections of 429s took half a core), and a client that waits loses nothing.
 */
const REFUSAL_DELAY_MS = 1_000;

export interface RateLimitHookOptions {
  readonly limiter: RateLimiter;
  /** What the request cost once it ran, in cost units; a request always costs at least 1. */
  readonly costOf: (request: FastifyRequest) => number;
  /** What reading its body cost, charged when it is admitted, before anything else is done with it (part of costOf). */
  readonly upfrontOf: (request: FastifyRequest) => number;
  /** The route whose requests are refused before their body is read once their budget is known spent. */
  readonly url: string;
  /** A request was refused; `reason` names the budget (`viewer` or `ip`). */
  readonly onReject?: ((reason: RateSubject['kind']) => void) | undefined;
}

export interface RateLimitGate {
  /**
   * Charges the request's first unit to its viewer (or, without one, its IP);
   * false once the budget is spent, with HTTP 429 already sent.
   */
  admit(request: FastifyRequest, reply: FastifyReply, viewer: Viewer | null): Promise<boolean>;
}

/**
 * Rate limits in query cost units. Every request pays 1 unit before anything
 * past its body is looked at, and its body's units (upfrontOf) with it, so a
 * large body is paid for before it is validated or run; once it has run, the
 * rest of its cost is charged, so the next request sees it. Each request in
 * flight can overdraw by at most its own cost, which the query cost limit
 * bounds.
 *
 * A refusal is remembered in this process until its Retry-After, by the
 * Authorization header that was refused (and the IP, for a budget by IP): the
 * same client's next requests are refused in onRequest, before their body is
 * even read, with no token check and no counter call, so a flood past its
 * budget costs a 429 each and nothing more.
 */
export function registerRateLimit(app: FastifyInstance, options: RateLimitHookOptions): RateLimitGate {
  const spentUntil = new LRUCache<string, number>({ max: SPENT_REMEMBERED_MAX });

  app.addHook('onRequest', async (request, reply) => {
    if (request.method === 'OPTIONS' || spentUntil.size === 0 || request.routeOptions.url !== options.url) return;
    const authorization = request.headers.authorization ?? '';
    for (const [kind, key] of [['viewer', spentKey('viewer', request, authorization)], ['ip', spentKey('ip', request, authorization)]] as const) {
      const until = spentUntil.get(key);
      if (until === undefined) continue;
      const retryAfterSeconds = Math.ceil((until - Date.now()) / 1_000);
      if (retryAfterSeconds <= 0) {
        spentUntil.delete(key);
        continue;
      }
      options.onReject?.(kind);
      await delay(Math.min(REFUSAL_DELAY_MS, until - Date.now()));
      return sendRateLimited(request, reply, Math.max(1, Math.ceil((until - Date.now()) / 1_000)));
    }
  });

  app.addHook('onResponse', async (request) => {
    if (!request.rateSubject) return;
    const remainder = Math.max(1, options.costOf(request)) - (request.prepaidUnits ?? 1);
    if (remainder > 0) await options.limiter.charge(request.rateSubject, Math.ceil(remainder));
  });

  return {
    async admit(request, reply, viewer) {
      const subject: RateSubject = viewer ? { kind: 'viewer', id: viewer.id } : { kind: 'ip', ip: request.ip };
      const decision = await options.limiter.consume(subject, 1);
      if (!decision.allowed) {
        spentUntil.set(spentKey(subject.kind === 'ip' ? 'ip' : 'viewer', request, request.headers.authorization ?? ''), Date.now() + decision.retryAfterSeconds * 1_000);
        options.onReject?.(subject.kind);
        sendRateLimited(request, reply, decision.retryAfterSeconds);
        return false;
      }
      request.rateSubject = subject;
      const upfront = Math.ceil(options.upfrontOf(request));
      if (upfront > 0) await options.limiter.charge(subject, upfront);
      request.prepaidUnits = 1 + Math.max(0, upfront);
      return true;
    },
  };
}

/**
 * The same Authorization header names the same viewer (or, not valid, falls
 * back to the same IP budget): a viewer's spent budget is keyed by the header
 * alone, an IP's by the IP and the header.
 */
function spentKey(kind: 'viewer' | 'ip', request: FastifyRequest, authorization: string): string {
  return kind === 'viewer' ? `viewer\n${authorization}` : `ip\n${request.ip}\n${authorization}`;
}

/** HTTP 429 with a GraphQL error body, answered before Apollo sees the request. */
function sendRateLimited(request: FastifyRequest, reply: FastifyReply, retryAfterSeconds: number): FastifyReply {
  const graphqlResponse = request.headers.accept?.includes('application/graphql-response+json') ?? false;
  return reply
    .code(429)
    .header('retry-after', String(retryAfterSeconds))
    .type(graphqlResponse ? 'application/graphql-response+json; charset=utf-8' : 'application/json; charset=utf-8')
    .send(
      JSON.stringify({
        errors: [
          {
            message: `Rate limit exceeded; retry after ${retryAfterSeconds} s`,
            extensions: { code: ErrorCode.RATE_LIMITED, retryAfter: retryAfterSeconds },
          },
        ],
      }),
    );
}
