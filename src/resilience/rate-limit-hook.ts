import { setTimeout as delay } from 'node:timers/promises';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { LRUCache } from 'lru-cache';
import type { Viewer } from '../auth/viewer.js';
import { ErrorCode } from '../errors.js';
import { ExpensiveSlots } from '../limits/expensive-slots.js';
import type { RateLimiter, RateSubject } from './rate-limiter.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Whose budget this request spends; set once it has been admitted. */
    rateSubject?: RateSubject;
    /** Units charged when it was admitted: its first and its body's. */
    prepaidUnits?: number;
    /** Frees the sender's expensive-request slot this request holds (idempotent). */
    releaseExpensiveSlot?: () => void;
    /** Units the request was charged in all, once it was (before its answer left). */
    chargedUnits?: number;
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
/**
 * What makes a request expensive, relative to what a viewer may spend per
 * window (RATE_LIMIT_POINTS): a body larger than `bodyBytes` (from
 * Content-Length, before it is read), or a sender whose last request was
 * charged `heavyUnits` or more (until one is charged less). At the default
 * 10,000 units: 4 KiB (about 100 units to read) and 1,000 units (~10 ms of
 * CPU). A deployment that gives its viewers a larger budget trusts them with
 * larger requests in proportion (the benchmark's 10^9 caps nothing).
 */
export function expensiveThresholds(points: number): { bodyBytes: number; heavyUnits: number } {
  return { bodyBytes: Math.round(points * 0.4096), heavyUnits: points / 10 };
}

export interface RateLimitHookOptions {
  readonly limiter: RateLimiter;
  /** What the request cost once it ran, in cost units; a request always costs at least 1. */
  readonly costOf: (request: FastifyRequest) => number;
  /** What reading its body cost, charged when it is admitted, before anything else is done with it (part of costOf). */
  readonly upfrontOf: (request: FastifyRequest) => number;
  /** The route whose requests are refused before their body is read once their budget is known spent. */
  readonly url: string;
  /** Expensive requests one sender may have in flight at once, in this process (RATE_LIMIT_EXPENSIVE_IN_FLIGHT). */
  readonly expensiveInFlight: number;
  /** A viewer's budget per window (RATE_LIMIT_POINTS): what an expensive request is measured against. */
  readonly viewerPoints: number;
  /** A request was refused; `reason` names the budget (`viewer` or `ip`), or `concurrency` for a sender's expensive requests in flight. */
  readonly onReject?: ((reason: RateSubject['kind'] | 'concurrency') => void) | undefined;
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
 * rest of its cost (its answer's size included, a cached answer's too) is
 * charged before the answer is written, so the next request sees it. Each
 * request in flight can overdraw by at most its own cost, which the query
 * cost limit bounds.
 *
 * A refusal is remembered in this process until its Retry-After, by the
 * Authorization header that was refused (and the IP, for a budget by IP): the
 * same client's next requests are refused in onRequest, before their body is
 * even read, with no token check and no counter call, so a flood past its
 * budget costs a 429 each and nothing more.
 */
export function registerRateLimit(app: FastifyInstance, options: RateLimitHookOptions): RateLimitGate {
  const spentUntil = new LRUCache<string, number>({ max: SPENT_REMEMBERED_MAX });
  // Senders (by credentials) whose last request was charged expensive.heavyUnits or more.
  const heavy = new LRUCache<string, true>({ max: SPENT_REMEMBERED_MAX });
  const slots = new ExpensiveSlots(options.expensiveInFlight);
  const expensive = expensiveThresholds(options.viewerPoints);

  // An expensive request (a large body, or a heavy sender's) takes one of its sender's slots before its body is read.
  app.addHook('onRequest', async (request, reply) => {
    if (request.method === 'OPTIONS' || request.routeOptions.url !== options.url) return;
    const sender = senderKey(request);
    if (!(Number(request.headers['content-length'] ?? 0) > expensive.bodyBytes || heavy.has(sender))) return;
    const release = slots.take(sender);
    if (release) {
      // Whichever comes first: the answer, or the connection closing under it.
      request.releaseExpensiveSlot = release;
      reply.raw.once('close', release);
      return;
    }
    options.onReject?.('concurrency');
    await delay(REFUSAL_DELAY_MS);
    return sendRateLimited(request, reply, 1);
  });

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

  // Charged before the answer leaves, the answer's bytes included (a cached one's too): the sender's next request,
  // sent once it has this answer, is admitted against it, and is bounded (heavy) or refused (in debt) already.
  app.addHook('onSend', async (request, _reply, payload) => {
    // The work is done once the answer is serialised: writing it costs the sender's connection, not the process.
    request.releaseExpensiveSlot?.();
    if (!request.rateSubject) return;
    request.sentBytes = payloadBytes(payload);
    const total = Math.max(1, options.costOf(request));
    if (total >= expensive.heavyUnits) heavy.set(senderKey(request), true);
    else heavy.delete(senderKey(request));
    // Not awaited: issued before the answer is written, so it is counted (in memory, or in order on the one Redis connection) before the next request's.
    void chargeRest(request, total);
  });

  // A reply that never went through onSend (the client went away first) still pays for what it cost.
  app.addHook('onResponse', async (request) => {
    request.releaseExpensiveSlot?.();
    if (request.rateSubject && request.chargedUnits === undefined) await chargeRest(request, Math.max(1, options.costOf(request)));
  });

  /** Charges what the request cost beyond what it prepaid; a debt refuses the sender's next requests before their body is read. */
  const chargeRest = async (request: FastifyRequest, total: number) => {
    const subject = request.rateSubject!;
    request.chargedUnits = total;
    const remainder = total - (request.prepaidUnits ?? 1);
    if (remainder <= 0) return;
    const decision = await options.limiter.charge(subject, Math.ceil(remainder));
    if (decision && !decision.allowed) remember(subject, request, decision.retryAfterSeconds);
  };

  const remember = (subject: RateSubject, request: FastifyRequest, retryAfterSeconds: number) =>
    spentUntil.set(spentKey(subject.kind === 'ip' ? 'ip' : 'viewer', request, request.headers.authorization ?? ''), Date.now() + retryAfterSeconds * 1_000);

  return {
    async admit(request, reply, viewer) {
      const subject: RateSubject = viewer ? { kind: 'viewer', id: viewer.id } : { kind: 'ip', ip: request.ip };
      const decision = await options.limiter.consume(subject, 1);
      if (!decision.allowed) {
        remember(subject, request, decision.retryAfterSeconds);
        options.onReject?.(subject.kind);
        sendRateLimited(request, reply, decision.retryAfterSeconds);
        return false;
      }
      request.rateSubject = subject;
      const upfront = Math.ceil(options.upfrontOf(request));
      const debt = upfront > 0 ? await options.limiter.charge(subject, upfront) : undefined;
      if (debt && !debt.allowed) remember(subject, request, debt.retryAfterSeconds);
      request.prepaidUnits = 1 + Math.max(0, upfront);
      return true;
    },
  };
}

/** Bytes of an answer as it leaves the route, before compression (a cached answer: as stored or decoded). */
function payloadBytes(payload: unknown): number {
  if (typeof payload === 'string') return payload.length;
  return Buffer.isBuffer(payload) ? payload.length : 0;
}

/** Who sent a request, known before its body is read: its credentials, or its IP without any. */
function senderKey(request: FastifyRequest): string {
  const authorization = request.headers.authorization;
  return authorization ? `authorization\n${authorization}` : `ip\n${request.ip}`;
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
