/**
 * Operation names come from clients and can be anything; every distinct label
 * value is a new time series in Prometheus. So only trusted names (a signed-in
 * viewer's, or any under a trusted-documents manifest) may take a label of
 * their own: the first `limit` of them keep their own series, and later,
 * absurdly long or untrusted ones share "other". An anonymous client sending
 * 200 made-up names would otherwise take every place and blind the dashboards.
 */
export type OperationLabels = (operation: ResolvedOperation | undefined, trusted: boolean) => string;

/** What Apollo resolved: `name` is null for an anonymous operation (`{ viewer { id } }`). */
export interface ResolvedOperation {
  readonly name: string | null | undefined;
}

export const UNKNOWN_OPERATION = 'unknown';
export const ANONYMOUS_OPERATION = 'anonymous';
export const OTHER_OPERATIONS = 'other';

/** 200 names covers every operation our own clients send, with room for a few releases of drift. */
export const DEFAULT_OPERATION_LABEL_LIMIT = 200;
/** Longer names are not ours (ours are a few words); 200 of them would still bloat every scrape. */
const MAX_NAME_LENGTH = 100;

/** `undefined`: the request never got as far as a resolved operation (unparsable, invalid, unauthenticated). */
export function createOperationLabels(limit = DEFAULT_OPERATION_LABEL_LIMIT): OperationLabels {
  const seen = new Set<string>();
  return (operation, trusted) => {
    if (!operation) return UNKNOWN_OPERATION;
    if (operation.name === null || operation.name === undefined) return ANONYMOUS_OPERATION;
    if (!trusted) return OTHER_OPERATIONS;
    if (seen.has(operation.name)) return operation.name;
    if (seen.size >= limit || operation.name.length > MAX_NAME_LENGTH) return OTHER_OPERATIONS;
    seen.add(operation.name);
    return operation.name;
  };
}
