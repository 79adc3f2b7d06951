import { createHash } from 'node:crypto';
import { ApiError, ErrorCode } from '../errors.js';

/**
 * A row's version, opaque to clients: when it last changed (ms), its id, and
 * a digest of what a subscriber sees of it. The instant orders versions; the
 * digest tells two changes within the same millisecond apart (timestamps are
 * read back at ms precision), so "newer" never misses one of them.
 */
export interface Version {
  readonly atMs: number;
  readonly id: string;
  readonly digest: string;
}

export function versionOf(at: Date | string | number, id: string, ...content: readonly unknown[]): string {
  const atMs = new Date(at).getTime();
  const digest = createHash('sha1').update(JSON.stringify(content)).digest('base64url').slice(0, 8);
  return `${atMs.toString(36)}.${id}.${digest}`;
}

/** A `since` argument: BAD_USER_INPUT unless it is a version this API gave out. */
export function parseVersion(version: string): Version {
  const [at, id, digest, ...rest] = version.split('.');
  const atMs = at === undefined ? Number.NaN : Number.parseInt(at, 36);
  if (!Number.isSafeInteger(atMs) || !id || !digest || rest.length > 0) {
    throw new ApiError(ErrorCode.BAD_USER_INPUT, '`since` is not a version this API gave out', { argumentName: 'since' });
  }
  return { atMs, id, digest };
}

/** True when `candidate` is a later change than `known` (of the same row). */
export function isNewer(candidate: string, known: string | undefined): boolean {
  if (known === undefined) return true;
  const a = parseVersion(candidate);
  const b = parseVersion(known);
  return a.atMs > b.atMs || (a.atMs === b.atMs && a.digest !== b.digest);
}

/** True when `candidate` is an older change than `known`: a late event, after a fresher replay. */
export function isOlder(candidate: string, known: string | undefined): boolean {
  return known !== undefined && (candidate === known || parseVersion(candidate).atMs < parseVersion(known).atMs);
}
