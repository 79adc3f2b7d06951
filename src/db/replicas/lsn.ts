/**
 * A WAL position (PostgreSQL's pg_lsn, printed `16/B374D848`) as a bigint, so
 * positions compare and subtract exactly (a byte offset into the WAL can pass
 * 2^53).
 */
export type Lsn = bigint;

export function parseLsn(text: string): Lsn {
  const match = /^([0-9A-Fa-f]{1,8})\/([0-9A-Fa-f]{1,8})$/.exec(text);
  if (!match) throw new Error(`not a WAL position: ${text}`);
  return (BigInt(`0x${match[1]}`) << 32n) | BigInt(`0x${match[2]}`);
}

/**
 * Sixteen hex digits, zero-padded: two such strings compare as their
 * positions do, which is what lets Redis keep the larger of two without
 * parsing (write-positions.ts).
 */
export function lsnKeyText(lsn: Lsn): string {
  return lsn.toString(16).toUpperCase().padStart(16, '0');
}

export function lsnFromKeyText(text: string): Lsn {
  return BigInt(`0x${text}`);
}

export function maxLsn(a: Lsn | undefined, b: Lsn | undefined): Lsn | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return a > b ? a : b;
}
