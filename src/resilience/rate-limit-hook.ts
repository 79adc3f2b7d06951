import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Viewer } from '../auth/viewer.js';
import { ErrorCode } from '../errors.js';
import type { RateLimiter, RateSubject } from './rate-limiter.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Whose budget this request spends; set once it has been admitted. */
    rateSubject?: RateSubject;
  }
}

export interface RateLimitHookOptions {
  readonly limiter: RateLimiter;
  /** What the request cost once it ran, in cost units; a request always costs at least 1. */
  readonly costOf: (request: FastifyRequest) => number;
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
 * is parsed, so a client past its budget is refused at the cost of one counter
 * call; once it has run, the rest of its cost (max(1, cost) - 1) is charged, so
 * the next request sees it. Each request in flight can overdraw by at most its
 * own cost, which the query cost limit bounds.
 */
export function registerRateLimit(app: FastifyInstance, options: RateLimitHookOptions): RateLimitGate {
  app.addHook('onResponse', async (request) => {
    if (!request.rateSubject) return;
    const remainder = Math.max(1, options.costOf(request)) - 1;
    if (remainder > 0) await options.limiter.charge(request.rateSubject, Math.ceil(remainder));
  });

  return {
    async admit(request, reply, viewer) {
      const subject: RateSubject = viewer ? { kind: 'viewer', id: viewer.id } : { kind: 'ip', ip: request.ip };
      const decision = await options.limiter.consume(subject, 1);
      if (!decision.allowed) {
        options.onReject?.(subject.kind);
        sendRateLimited(request, reply, decision.retryAfterSeconds);
        return false;
      }
      request.rateSubject = subject;
      return true;
    },
  };
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
