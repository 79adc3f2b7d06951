import { type JWTPayload, SignJWT, errors as joseErrors, jwtVerify } from 'jose';
import { ApiError, ErrorCode } from '../errors.js';
import { type Scope, formatScopeClaim, parseScopeClaim } from './scopes.js';

/** Tokens are HS256 only: pinning the algorithm rules out `alg: none` and key confusion. */
const ALGORITHM = 'HS256';
const DEFAULT_LIFETIME = '30d';

export interface VerifiedToken {
  readonly subject: string;
  /** `exp`, in epoch milliseconds. */
  readonly expiresAt: number;
  /** From the `scope` claim; empty for a user token. */
  readonly scopes: readonly Scope[];
}

export interface TokenIssuer {
  /** A user token, or with scopes (src/auth/scopes.ts) a token that may do more for the same user. */
  sign(userId: string, lifetime?: string, scopes?: readonly Scope[]): Promise<string>;
  /** The user id (`sub`), expiry and scopes of a valid token; UNAUTHENTICATED otherwise. */
  verify(token: string): Promise<VerifiedToken>;
}

export function createTokenIssuer(secret: string): TokenIssuer {
  const key = new TextEncoder().encode(secret);
  return {
    sign: (userId, lifetime = DEFAULT_LIFETIME, scopes = []) =>
      new SignJWT({ scope: formatScopeClaim(scopes) }).setProtectedHeader({ alg: ALGORITHM }).setSubject(userId).setIssuedAt().setExpirationTime(lifetime).sign(key),

    async verify(token) {
      let payload: JWTPayload;
      try {
        // jose checks `exp` only when present: requiring it makes every token expire.
        ({ payload } = await jwtVerify(token, key, { algorithms: [ALGORITHM], requiredClaims: ['sub', 'exp'] }));
      } catch (error) {
        throw unauthenticated(error instanceof joseErrors.JWTExpired ? 'The token has expired' : 'The token is not valid');
      }
      const scopes = parseScopeClaim(payload.scope);
      if (scopes === undefined) throw unauthenticated('The token is not valid');
      return { subject: payload.sub!, expiresAt: payload.exp! * 1000, scopes };
    },
  };
}

export function unauthenticated(message: string): ApiError {
  return new ApiError(ErrorCode.UNAUTHENTICATED, message, { http: { status: 401 } });
}
