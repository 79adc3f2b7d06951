import type { FastifyReply, FastifyRequest } from 'fastify';
import { LRUCache } from 'lru-cache';
import type { GraphQLHttpParams } from '../http/graphql-params.js';
import type { VariablesLimits } from '../config.js';
import { ErrorCode } from '../errors.js';
import { sha256Hex } from '../sha256.js';
import { sendErrorBody, sendRequestError } from './http.js';
import { variablesProblem } from './variables.js';

/** Refused documents remembered: by count, and by the bytes of their error bodies. */
const REJECTED_DOCUMENTS_MAX = 10_000;
const REJECTED_BODIES_MAX_BYTES = 8 * 1024 * 1024;

export type GuardRefusal = 'variables' | 'remembered';

declare module 'fastify' {
  interface FastifyRequest {
    /** The sha256 of the document text the request sent, when it sent one. */
    documentHash?: string;
  }
}

interface RejectedDocument {
  readonly status: number;
  readonly body: string;
}

/**
 * What is refused before the response cache or Apollo touch a request: its
 * variables past their limits (BAD_USER_INPUT, HTTP 400), and a document
 * refused before. Apollo caches only documents that passed validation, so a
 * document that failed (a query limit, an unknown field, graphql's own
 * validation budget) would be parsed and checked again on every request: its
 * answer is kept by the hash of its text, and a repeat costs a lookup.
 */
export function createDocumentGuard(limits: VariablesLimits, onRefused?: (reason: GuardRefusal) => void) {
  const rejected = new LRUCache<string, RejectedDocument>({
    max: REJECTED_DOCUMENTS_MAX,
    maxSize: REJECTED_BODIES_MAX_BYTES,
    sizeCalculation: (answer, hash) => answer.body.length + hash.length,
  });

  return {
    /** The reply refusing the request, sent; undefined when it may go on. */
    refuse(request: FastifyRequest, reply: FastifyReply, params: GraphQLHttpParams | null): FastifyReply | undefined {
      const problem = params && variablesProblem(params.variables, limits);
      if (problem) {
        onRefused?.('variables');
        const extensions = { argument: 'variables', ...problem.extensions };
        return sendRequestError(request, reply, { status: 400, code: ErrorCode.BAD_USER_INPUT, message: problem.message, extensions });
      }
      if (typeof params?.query !== 'string') return undefined;
      request.documentHash = sha256Hex(params.query);
      const known = rejected.get(request.documentHash);
      if (!known) return undefined;
      onRefused?.('remembered');
      return sendErrorBody(request, reply, known.status, known.body);
    },

    /** After Apollo answered: a document it refused is remembered with its answer. */
    learn(request: FastifyRequest, reply: FastifyReply, body: string): void {
      if (request.documentHash && request.record?.documentRejected) {
        rejected.set(request.documentHash, { status: reply.statusCode, body });
      }
    },
  };
}
