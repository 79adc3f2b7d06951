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
import { freePort } from './free-port.js';
import { asPostgres, binary, postgresIds, running } from './postgres-binaries.js';

/**
 * A primary and one streaming replica of a test file's (or a tool's) own, on spare loopback
 * ports: initdb, start, create and migrate `arya`, then `pg_basebackup -R`
 * (which writes standby.signal and primary_conninfo) and start the copy with
 * recovery_min_apply_delay, so that the replica lags by about that much
 * whenever the primary writes. Run as root, the binaries run as `postgres`.
 */
const run = promisify(execFile);
const DATABASE = 'arya';

export interface ReplicatedOptions {
  /** The replica applies WAL this long after the primary wrote it (recovery_min_apply_delay), in ms. */
  readonly applyDelayMs?: number;
}

export class ReplicatedPostgres {
  private constructor(
    private readonly dir: string,
    readonly primaryPort: number,
    readonly replicaPort: number,
    private readonly applyDelayMs: number,
  ) {}

  static async start(options: ReplicatedOptions = {}): Promise<ReplicatedPostgres> {
    const dir = await mkdtemp(path.join(tmpdir(), 'arya-replicated-'));
    if (userInfo().uid === 0) await chown(dir, ...postgresIds());
    const servers = new ReplicatedPostgres(dir, await freePort(), await freePort(), options.applyDelayMs ?? 1_000);
    await run(...asPostgres(binary('initdb'), ['-D', servers.primaryDir, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8']));
    await servers.pgCtl(servers.primaryDir, ['-o', servers.primaryOptions, '-l', path.join(dir, 'primary.log'), 'start']);
    running.add(servers.primaryDir);
    await query(servers.primaryPort, 'postgres', `create database ${DATABASE}`);
    const db = createKysely(new PostgresDialect({ pool: new pg.Pool({ connectionString: servers.primaryUrl, max: 1 }) }), new SqlTracker());
    await migrateToLatest(db);
    await db.destroy();
    // -R: standby.signal and primary_conninfo; -X stream: the WAL written meanwhile comes along;
    // a fast checkpoint, else the copy waits for a spread one (minutes).
    await run(
      ...asPostgres(binary('pg_basebackup'), ['-h', '127.0.0.1', '-p', String(servers.primaryPort), '-U', 'postgres', '-D', servers.replicaDir, '-R', '-X', 'stream', '--checkpoint=fast', '--no-sync']),
    );
    await servers.startReplica();
    return servers;
  }

  get primaryUrl(): string {
    return `postgres://postgres@127.0.0.1:${this.primaryPort}/${DATABASE}`;
  }

  get replicaUrl(): string {
    return `postgres://postgres@127.0.0.1:${this.replicaPort}/${DATABASE}`;
  }

  /** `pg_ctl stop -m fast` on the replica: its sessions are cut, new ones refused, until startReplica(). */
  async stopReplica(): Promise<void> {
    await this.pgCtl(this.replicaDir, ['-m', 'fast', 'stop']);
    running.delete(this.replicaDir);
  }

  async startReplica(): Promise<void> {
    await this.pgCtl(this.replicaDir, ['-o', this.replicaOptions, '-l', path.join(this.dir, 'replica.log'), 'start']);
    running.add(this.replicaDir);
  }

  /** One statement on a connection of its own, against the primary's `arya`. */
  async onPrimary<R extends pg.QueryResultRow = pg.QueryResultRow>(statement: string, values: unknown[] = []): Promise<R[]> {
    return query<R>(this.primaryPort, DATABASE, statement, values);
  }

  /** One statement on a connection of its own, against the replica's `arya`. */
  async onReplica<R extends pg.QueryResultRow = pg.QueryResultRow>(statement: string, values: unknown[] = []): Promise<R[]> {
    return query<R>(this.replicaPort, DATABASE, statement, values);
  }

  async destroy(): Promise<void> {
    for (const dataDir of [this.replicaDir, this.primaryDir]) {
      if (running.has(dataDir)) await this.pgCtl(dataDir, ['-m', 'immediate', 'stop']).catch(() => undefined);
      running.delete(dataDir);
    }
    await rm(this.dir, { recursive: true, force: true });
  }

  private get primaryDir(): string {
    return path.join(this.dir, 'primary');
  }

  private get replicaDir(): string {
    return path.join(this.dir, 'replica');
  }

  private get primaryOptions(): string {
    // fsync off: the tests' data need not survive a power cut. wal_level replica is the default; said for the reader.
    return `-p ${this.primaryPort} -k ${this.dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=100 -c wal_level=replica -c max_wal_senders=4`;
  }

  private get replicaOptions(): string {
    return `-p ${this.replicaPort} -k ${this.dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=100 -c hot_standby=on -c recovery_min_apply_delay=${this.applyDelayMs}ms`;
  }

  private async pgCtl(dataDir: string, args: readonly string[]): Promise<void> {
    await run(...asPostgres(binary('pg_ctl'), ['-D', dataDir, '-w', ...args]));
  }
}

async function query<R extends pg.QueryResultRow>(port: number, database: string, statement: string, values: unknown[] = []): Promise<R[]> {
  const client = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', database });
  await client.connect();
  try {
    return (await client.query<R>(statement, values)).rows;
  } finally {
    await client.end();
  }
}
