import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Some test files start servers of their own from binaries the machine has, not
 * Node's: redis-server (cache and fault suites), PostgreSQL's initdb and pg_ctl
 * (fault suites). Such a file says so on a line of its own:
 *
 *   // @requires redis-server
 *
 * `npm test` needs Node alone: where a binary is missing, vitest.config.ts leaves
 * those files out and says which, at the start of the run and at its end, so
 * nothing is skipped silently.
 */
const MARKER = /^\/\/ @requires ([\w-]+)$/gm;

/** Where a binary may be besides PATH: PostgreSQL's server binaries are not on it on Debian. */
function candidates(binary: string): string[] {
  const onPath = (process.env.PATH ?? '').split(path.delimiter).filter(Boolean).map((dir) => path.join(dir, binary));
  const postgresRoot = '/usr/lib/postgresql';
  const postgres = existsSync(postgresRoot) ? readdirSync(postgresRoot).map((version) => path.join(postgresRoot, version, 'bin', binary)) : [];
  return [...onPath, ...postgres];
}

export function hasBinary(binary: string): boolean {
  return candidates(binary).some((file) => existsSync(file));
}

export interface LeftOutFile {
  readonly file: string;
  readonly missing: readonly string[];
}

/** The test files under `dir` that name a binary this machine does not have. */
export function filesMissingBinaries(dir: string): LeftOutFile[] {
  const leftOut: LeftOutFile[] = [];
  const known = new Map<string, boolean>();
  for (const file of testFiles(dir)) {
    const required = [...readFileSync(file, 'utf8').matchAll(MARKER)].map((match) => match[1]!);
    const missing = required.filter((binary) => !(known.get(binary) ?? known.set(binary, hasBinary(binary)).get(binary)));
    if (missing.length > 0) leftOut.push({ file, missing });
  }
  return leftOut;
}

function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : testFiles(file);
    return entry.isFile() && entry.name.endsWith('.test.ts') ? [file] : [];
  });
}

export function describeLeftOut(leftOut: readonly LeftOutFile[], root: string): string {
  const lines = leftOut.map(({ file, missing }) => `  ${path.relative(root, file)} (needs ${missing.join(', ')})`);
  return `NOT RUN on this machine, for want of binaries that are not Node:\n${lines.join('\n')}`;
}
