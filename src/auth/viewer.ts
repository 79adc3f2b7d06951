import { LRUCache } from 'lru-cache';
import type { Db } from '../db/database.js';
import { parseId } from '../ids.js';
import { userExists } from '../users/user.repository.js';
import type { Scope } from './scopes.js';
import { type TokenIssuer, type VerifiedToken, unauthenticated } from './tokens.js';

export interface Viewer {
  readonly id: string;
  /** What the token may do beyond a user token (src/auth/scopes.ts); empty for a user token. */
  readonly scopes: readonly Scope[];
}

/** Known user ids, so that a valid token costs one user lookup per minute, not one per request. */
const KNOWN_USERS_MAX = 100_000;
const KNOWN_USERS_TTL_MS = 60_000;
const VERIFIED_TOKENS_MAX = 100_000;

/** `db` is where the user lookup goes: the request's own handle, so that it counts as the request's statement. */
export type ViewerResolver = (authorization: string | undefined, db: Db) => Promise<Viewer | null>;

/**
 * Turns the Authorization header into the viewer. No header: an anonymous
 * request (introspection works; every data field answers UNAUTHENTICATED). A
 * header that is not a valid Bearer token for an existing user rejects the
 * whole request.
 */
export function createViewerResolver(tokens: TokenIssuer): ViewerResolver {
  const knownUsers = new LRUCache<string, true>({ max: KNOWN_USERS_MAX, ttl: KNOWN_USERS_TTL_MS });
  // A token's signature is checked once; the same token string again only has its expiry checked.
  const verifiedTokens = new LRUCache<string, VerifiedToken>({ max: VERIFIED_TOKENS_MAX });
  const verify = async (token: string): Promise<VerifiedToken> => {
    const known = verifiedTokens.get(token);
    if (known && known.expiresAt > Date.now()) return known;
    const verified = await tokens.verify(token);
    verifiedTokens.set(token, verified);
    return verified;
  };
  return async (authorization, db) => {
    if (authorization === undefined || authorization === '') return null;
    // The scheme name is case-insensitive (RFC 7235).
    const match = /^Bearer ([A-Za-z0-9._~+/=-]+)$/i.exec(authorization);
    if (!match) throw unauthenticated('The Authorization header must be "Bearer <token>"');
    // Scopes come from the verified token itself, so caching it by its string keeps them exact.
    const { subject, scopes } = await verify(match[1]!);
    // Canonical, as PostgreSQL answers uuids: the viewer id is compared with them.
    const userId = parseId(subject);
    if (userId === undefined) throw unauthenticated('The token is not valid');
    if (!knownUsers.has(userId)) {
      if (!(await userExists(db, userId))) throw unauthenticated('The token names no user');
      knownUsers.set(userId, true);
    }
    return { id: userId, scopes };
  };
}
