import type { FastifyReply, FastifyRequest } from 'fastify';
import { parse } from 'graphql';
import { LRUCache } from 'lru-cache';
import { ErrorCode } from '../errors.js';
import { sendRequestError } from '../limits/http.js';
import { documentHash, operationDocuments, type Manifest } from './manifest.js';

/** Texts already judged that are not byte for byte in the manifest: each is parsed once. */
const JUDGED_TEXTS_MAX = 1_000;

/** What a request names: a document's text, a hash alone, or nothing Apollo could run. */
type Named = { text: string } | { hash: unknown } | null;

const REFUSAL = {
  status: 400,
  code: ErrorCode.PERSISTED_QUERY_NOT_ALLOWED,
  message: 'This server runs trusted documents only: send one of its manifest, or its sha256 hash in extensions.persistedQuery',
};

/**
 * Trusted documents: only the operations of a manifest run. A request names
 * its document by text (trusted when the text, or its canonical form, is in
 * the manifest) or by hash alone (`extensions.persistedQuery.sha256Hash`, the
 * APQ convention), in which case Apollo takes the text from the manifest
 * through `persistedQueryStore`. Anything else is refused with
 * PERSISTED_QUERY_NOT_ALLOWED (HTTP 400) before the response cache, the
 * viewer lookup or Apollo sees it.
 */
export class TrustedDocuments {
  private readonly documents: ReadonlyMap<string, string>;
  private readonly judged = new LRUCache<string, boolean>({ max: JUDGED_TEXTS_MAX });

  constructor(manifest: Manifest, private readonly maxTokens: number) {
    this.documents = new Map(Object.entries(manifest));
  }

  /** Undefined when every operation the request names is trusted; otherwise the reply refusing it, sent. */
  refuseUntrusted(request: FastifyRequest, reply: FastifyReply): FastifyReply | undefined {
    const named = request.method === 'GET' ? [namedInSearch(request.url)] : bodyItems(request.body).map(namedInBody);
    if (named.every((item) => this.trusts(item))) return undefined;
    request.log.info({ code: REFUSAL.code }, 'request refused: not a trusted document');
    return sendRequestError(request, reply, REFUSAL);
  }

  /** Apollo's persisted-query store in trusted mode: reads from the manifest, registers nothing. */
  persistedQueryStore() {
    return {
      // Apollo prefixes its keys ("apq:<hash>"); a hex hash holds no colon.
      get: async (key: string) => this.documents.get(key.slice(key.lastIndexOf(':') + 1)),
      set: async (_key: string, _document: string) => {},
      delete: async (_key: string) => {},
    };
  }

  private trusts(named: Named): boolean {
    // No document at all: Apollo answers BAD_REQUEST without running anything.
    if (named === null) return true;
    if ('hash' in named) return typeof named.hash === 'string' && this.documents.has(named.hash);
    return this.trustsText(named.text);
  }

  /** The exact text, or else each of its operations in canonical form (what clients that print their own documents send). */
  private trustsText(text: string): boolean {
    const hash = documentHash(text);
    if (this.documents.has(hash)) return true;
    let trusted = this.judged.get(hash);
    if (trusted === undefined) {
      trusted = this.canonicalFormsTrusted(text);
      this.judged.set(hash, trusted);
    }
    return trusted;
  }

  private canonicalFormsTrusted(text: string): boolean {
    try {
      const operations = operationDocuments(parse(text, { maxTokens: this.maxTokens, noLocation: true }));
      return operations.length > 0 && operations.every((operation) => this.documents.has(documentHash(operation.text)));
    } catch {
      return false;
    }
  }
}

/** A batched array names several documents (Apollo refuses batches unless they are turned on). */
const bodyItems = (body: unknown): unknown[] => (Array.isArray(body) ? body : [body]);

function namedInBody(body: unknown): Named {
  if (body === null || typeof body !== 'object') return null;
  const { query, extensions } = body as { query?: unknown; extensions?: unknown };
  if (typeof query === 'string' && query !== '') return { text: query };
  return persistedQueryOf(extensions);
}

/** Read like Apollo reads a GET: from the URL, each parameter given once (Apollo refuses repeats). */
function namedInSearch(url: string): Named {
  const search = new URL(url, 'http://localhost').searchParams;
  const [query, ...moreQueries] = search.getAll('query');
  if (query !== undefined && query !== '' && moreQueries.length === 0) return { text: query };
  const extensions = search.get('extensions');
  return extensions === null ? null : persistedQueryOf(safeJsonParse(extensions));
}

function persistedQueryOf(extensions: unknown): Named {
  const persistedQuery = (extensions as { persistedQuery?: { sha256Hash?: unknown } } | null | undefined)?.persistedQuery;
  return persistedQuery ? { hash: persistedQuery.sha256Hash } : null;
}

function safeJsonParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
