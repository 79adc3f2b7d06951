import { Authorized, type AuthCheckerFn } from 'type-graphql';
import type { Context } from '../context.js';
import { ApiError, ErrorCode } from '../errors.js';
import type { Viewer } from './viewer.js';

/**
 * What a token may do beyond what every token may. Every token names a user
 * and may read all of that user's data, create, cancel and delete tasks,
 * create conversations and post USER messages (a user token: what frontends
 * hold). `agent` adds the writes of the video agent's workers: status and
 * progress, scripts, storyboards, resources, media, and ASSISTANT, SYSTEM and
 * TOOL messages. No scope reaches beyond the token's own user.
 */
export const Scope = { AGENT: 'agent' } as const;
export type Scope = (typeof Scope)[keyof typeof Scope];

const KNOWN_SCOPES: ReadonlySet<string> = new Set(Object.values(Scope));

/**
 * The `scope` claim as OAuth writes it (RFC 8693 §4.2): space-separated names.
 * Absent: a user token. A name this server does not know grants nothing
 * (least privilege); a claim that is not a string makes the token invalid.
 */
export function parseScopeClaim(claim: unknown): readonly Scope[] | undefined {
  if (claim === undefined) return [];
  if (typeof claim !== 'string') return undefined;
  return claim.split(' ').filter((name): name is Scope => KNOWN_SCOPES.has(name));
}

export function formatScopeClaim(scopes: readonly Scope[]): string | undefined {
  return scopes.length === 0 ? undefined : [...new Set(scopes)].join(' ');
}

/** The one check: FORBIDDEN naming the scope, before anything is read or written. */
export function requireScope(viewer: Viewer, scope: Scope): void {
  if (!viewer.scopes.includes(scope)) {
    throw new ApiError(ErrorCode.FORBIDDEN, `This operation needs a token with the "${scope}" scope`, { requiredScope: scope });
  }
}

/**
 * type-graphql's authChecker: runs before the arguments are validated and the
 * resolver called. It throws rather than answering false, so the error is ours
 * (FORBIDDEN with the scope), not type-graphql's generic "Access denied".
 */
export const scopeAuthChecker: AuthCheckerFn<Context, Scope> = ({ context }, scopes) => {
  for (const scope of scopes) requireScope(context.viewer, scope);
  return true;
};

/**
 * Declares the scope a mutation needs. Only the fields so marked get the
 * check (type-graphql adds the middleware per field): reads pay nothing.
 */
export const RequireScope = (scope: Scope) => Authorized<Scope>(scope);
