import { SignJWT, errors as joseErrors, jwtVerify } from 'jose';
import { ApiError, ErrorCode } from '../errors.js';

/** Tokens are HS256 only: pinning the algorithm rules out `alg: none` and key confusion. */
const ALGORITHM = 'HS256';
const DEFAULT_LIFETIME = '30d';

export interface VerifiedToken {
  readonly subject: string;
  /** `exp`, in epoch milliseconds. */
  readonly expiresAt: number;
}

export interface TokenIssuer {
  sign(userId: string, lifetime?: string): Promise<string>;
  /** The user id (`sub`) and expiry of a valid token; UNAUTHENTICATED otherwise. */
  verify(token: string): Promise<VerifiedToken>;
}

export function createTokenIssuer(secret: string): TokenIssuer {
  const key = new TextEncoder().encode(secret);
  return {
    sign: (userId, lifetime = DEFAULT_LIFETIME) =>
      new SignJWT({}).setProtectedHeader({ alg: ALGORITHM }).setSubject(userId).setIssuedAt().setExpirationTime(lifetime).sign(key),

    async verify(token) {
      try {
        // jose checks `exp` only when present: requiring it makes every token expire.
        const { payload } = await jwtVerify(token, key, { algorithms: [ALGORITHM], requiredClaims: ['sub', 'exp'] });
        return { subject: payload.sub!, expiresAt: payload.exp! * 1000 };
      } catch (error) {
        throw unauthenticated(error instanceof joseErrors.JWTExpired ? 'The token has expired' : 'The token is not valid');
      }
    },
  };
}

export function unauthenticated(message: string): ApiError {
  return new ApiError(ErrorCode.UNAUTHENTICATED, message, { http: { status: 401 } });
}
