/**
 * The backends the suite runs on, chosen by the environment like the app is:
 * with DATABASE_URL, real PostgreSQL (each test file gets its own database,
 * cloned from a migrated template); without, the embedded PGlite (each file
 * gets its own in-memory instance, restored from a migrated snapshot).
 */
export type BackendKind = 'postgres' | 'pglite';

export const backendKind = (): BackendKind => (process.env.DATABASE_URL ? 'postgres' : 'pglite');

/** DATABASE_URL with another database name. */
export function databaseUrl(base: string, database: string): string {
  const url = new URL(base);
  url.pathname = `/${database}`;
  return url.toString();
}

declare module 'vitest' {
  export interface ProvidedContext {
    /** postgres: the name of the migrated template database. */
    templateDatabase: string;
    /** pglite: the path of a dumpDataDir() snapshot of a migrated database. */
    pgliteSnapshot: string;
  }
}
