import { execFile } from 'node:child_process';
import { chown, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { PostgresDialect } from 'kysely';
import pg from 'pg';
import { createKysely } from '../../src/db/connect.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { SqlTracker } from '../../src/db/sql-tracker.js';
import { asPostgres, binary, postgresIds, running } from '../../tools/servers/postgres-binaries.js';
import { freePort } from './redis-server.js';

// The binaries' helpers live in tools/ since the scale-out bench starts servers too; re-exported for the fault tests.
export { asPostgres, binary, postgresBinDir, postgresIds, running } from '../../tools/servers/postgres-binaries.js';

/**
 * A PostgreSQL server of a test file's own: initdb into a temporary folder,
 * listening on a spare loopback port (its socket in that folder), so a test
 * may restart, stop or cut it without touching the machine's own server.
 * Run as root, the binaries run as the `postgres` OS user (initdb refuses root).
 */
const run = promisify(execFile);
const DATABASE = 'arya';

export class PostgresServer {
  private constructor(
    readonly port: number,
    private readonly dir: string,
  ) {}

  /** initdb, start, create the `arya` database and migrate it: about a second. */
  static async start(): Promise<PostgresServer> {
    const dir = await mkdtemp(path.join(tmpdir(), 'arya-pg-'));
    if (userInfo().uid === 0) await chown(dir, ...postgresIds());
    const server = new PostgresServer(await freePort(), dir);
    await run(...asPostgres(binary('initdb'), ['-D', server.dataDir, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8']));
    await server.startServer();
    await server.query('postgres', `create database ${DATABASE}`);
    const db = createKysely(new PostgresDialect({ pool: new pg.Pool({ connectionString: server.url, max: 1 }) }), new SqlTracker());
    await migrateToLatest(db);
    await db.destroy();
    return server;
  }

  get url(): string {
    return `postgres://postgres@127.0.0.1:${this.port}/${DATABASE}`;
  }

  private get dataDir(): string {
    return path.join(this.dir, 'data');
  }

  private get options(): string {
    // fsync off: the tests' data need not survive a power cut, and restarts get faster.
    return `-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=100`;
  }

  private async pgCtl(args: readonly string[]): Promise<void> {
    await run(...asPostgres(binary('pg_ctl'), ['-D', this.dataDir, '-w', ...args]));
  }

  private async startServer(): Promise<void> {
    await this.pgCtl(['-o', this.options, '-l', path.join(this.dir, 'server.log'), 'start']);
    running.add(this.dataDir);
  }

  /** `pg_ctl restart -m fast`: sessions are cut, the server is back when this resolves. */
  async restart(): Promise<void> {
    await this.pgCtl(['-m', 'fast', '-o', this.options, '-l', path.join(this.dir, 'server.log'), 'restart']);
  }

  /** `pg_ctl stop -m fast`: down until start(). */
  async stop(): Promise<void> {
    await this.pgCtl(['-m', 'fast', 'stop']);
    running.delete(this.dataDir);
  }

  async start(): Promise<void> {
    await this.startServer();
  }

  /** pg_terminate_backend on every other session of the `arya` database: what a failover or an admin does. */
  async terminateBackends(): Promise<number> {
    const rows = await this.query(
      DATABASE,
      `select pg_terminate_backend(pid) as terminated from pg_stat_activity where datname = '${DATABASE}' and pid <> pg_backend_pid()`,
    );
    return rows.length;
  }

  /** One statement on a connection of its own, as the superuser. */
  async query<R extends pg.QueryResultRow = pg.QueryResultRow>(database: string, statement: string): Promise<R[]> {
    const client = new pg.Client({ host: '127.0.0.1', port: this.port, user: 'postgres', database });
    await client.connect();
    try {
      return (await client.query<R>(statement)).rows;
    } finally {
      await client.end();
    }
  }

  /** A session of its own on the `arya` database, for holding locks; the caller ends it. */
  async session(): Promise<pg.Client> {
    const client = new pg.Client({ connectionString: this.url });
    await client.connect();
    return client;
  }

  async destroy(): Promise<void> {
    if (running.has(this.dataDir)) await this.pgCtl(['-m', 'immediate', 'stop']).catch(() => undefined);
    running.delete(this.dataDir);
    await rm(this.dir, { recursive: true, force: true });
  }
}
