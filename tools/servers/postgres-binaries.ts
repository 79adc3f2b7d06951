import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { userInfo } from 'node:os';
import path from 'node:path';

/**
 * PostgreSQL's server binaries (initdb, pg_ctl, pg_basebackup) as the machine
 * has them, for servers of a test's or a tool's own. Run as root, they run as
 * the `postgres` OS user (initdb refuses root).
 */

/** Data folders of servers still running: stopped at exit, whoever started them. */
export const running = new Set<string>();
process.once('exit', () => {
  for (const dataDir of running) {
    try {
      execFileSync(...asPostgres(binary('pg_ctl'), ['-D', dataDir, '-m', 'immediate', '-w', 'stop']), { stdio: 'ignore' });
    } catch {
      // Already stopped.
    }
  }
});

/** The newest installed PostgreSQL's bin folder; undefined when there is none. */
export function postgresBinDir(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((name) => existsSync(path.join(root, name, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] && path.join(root, versions[0], 'bin');
}

export function binary(name: string): string {
  const dir = postgresBinDir();
  if (!dir) throw new Error('no PostgreSQL server binaries under /usr/lib/postgresql');
  return path.join(dir, name);
}

export function asPostgres(command: string, args: readonly string[]): [string, string[]] {
  return userInfo().uid === 0 ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, [...args]];
}

export function postgresIds(): [number, number] {
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres']).toString().trim());
  return [id('-u'), id('-g')];
}
