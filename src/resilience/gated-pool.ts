import type { PostgresCursor, PostgresPool, PostgresPoolClient, PostgresQueryResult } from 'kysely';
import pg from 'pg';
import { ErrorCode, fromPgError } from '../errors.js';
import { ConcurrencyGate, GateTimeoutError } from './concurrency-gate.js';
import { serviceUnavailable } from './unavailable.js';

export interface GateOptions {
  /** Connections checked out or being waited for, at most. */
  readonly maxConcurrent: number;
  /** The whole wait for a slot and then a connection, in ms; past it the request is shed. */
  readonly queueTimeoutMs: number;
  /** A request was shed: the gate or the pool had nothing free in time. */
  readonly onShed?: (() => void) | undefined;
  /** PostgreSQL could not be reached (refused, shutting down, bad credentials): once per outage, not per request. */
  readonly onConnectError?: ((error: unknown) => void) | undefined;
}

export interface GatedPool extends PostgresPool {
  readonly gate: ConcurrencyGate;
}

const BUSY = 'The database is busy; retry later';
const UNREACHABLE = 'The database is unavailable; retry later';

/**
 * The pool Kysely sees: pg.Pool behind a bounded gate. A request either gets a
 * connection within `queueTimeoutMs` or fails at once with SERVICE_UNAVAILABLE
 * (HTTP 503), whether the gate is full or all pooled connections are busy, so
 * overload is shed instead of queueing until pg's own 30-second timeout. Every
 * way PostgreSQL can be away (refused, restarting, connection cut mid-query,
 * statement timeout) reaches the caller as that same retryable error.
 */
export function gatePool(pool: pg.Pool, options: GateOptions): GatedPool {
  const gate = new ConcurrencyGate(options.maxConcurrent);
  const clients = new WeakMap<pg.PoolClient, GatedClient>();
  let reachable = true;

  async function connect(): Promise<PostgresPoolClient> {
    const deadline = Date.now() + options.queueTimeoutMs;
    let releaseSlot: () => void;
    try {
      releaseSlot = await gate.acquire(options.queueTimeoutMs);
    } catch (error) {
      options.onShed?.();
      throw serviceUnavailable(BUSY, error);
    }
    const connecting = pool.connect();
    let client: pg.PoolClient;
    try {
      client = await withDeadline(connecting, deadline - Date.now());
    } catch (error) {
      if (error instanceof GateTimeoutError) {
        // pg-pool cannot withdraw a wait: the connection it hands over later goes
        // straight back, and only then is the slot freed, so abandoned waits stay
        // within the gate's bound instead of growing pg-pool's queue.
        connecting.then((late) => late.release(), () => undefined).finally(releaseSlot);
        options.onShed?.();
        throw serviceUnavailable(BUSY, error);
      }
      releaseSlot();
      if (reachable) options.onConnectError?.(error);
      reachable = false;
      throw serviceUnavailable(UNREACHABLE, error);
    }
    reachable = true;
    let gated = clients.get(client);
    if (!gated) {
      gated = new GatedClient(client);
      clients.set(client, gated);
    }
    gated.checkedOut(releaseSlot);
    return gated;
  }

  return { gate, connect, end: () => pool.end() };
}

/**
 * One pooled connection as Kysely uses it. Kept per pg client (Kysely keys its
 * connection objects by the client it is given).
 */
class GatedClient implements PostgresPoolClient {
  private broken = false;
  private releaseSlot: (() => void) | undefined;

  constructor(private readonly client: pg.PoolClient) {
    // pg-pool listens for errors only while a client is idle: a connection cut
    // while checked out (PostgreSQL restarted mid-transaction) emits 'error' with
    // nobody listening, and an unhandled 'error' event ends the process.
    client.on('error', () => {
      this.broken = true;
    });
  }

  checkedOut(releaseSlot: () => void): void {
    this.releaseSlot = releaseSlot;
  }

  query<R>(sql: string, parameters: ReadonlyArray<unknown>): Promise<PostgresQueryResult<R>>;
  query<R>(cursor: PostgresCursor<R>): PostgresCursor<R>;
  query(...args: unknown[]): unknown {
    const result: unknown = (this.client.query as (...a: unknown[]) => unknown)(...args);
    // A cursor (streaming) is returned as it is; a statement's promise has its failure translated.
    return isPromise(result) ? result.catch((error: unknown) => Promise.reject(this.translate(error))) : result;
  }

  release(destroy?: boolean): void {
    const releaseSlot = this.releaseSlot;
    this.releaseSlot = undefined;
    // A broken connection is dropped by pg-pool (it checks the client is still queryable).
    this.client.release(destroy === true);
    releaseSlot?.();
  }

  /** Errors of availability become SERVICE_UNAVAILABLE; every other error is left to fromPgError. */
  private translate(error: unknown): unknown {
    if (error instanceof pg.DatabaseError) {
      const mapped = fromPgError(error);
      return mapped?.extensions.code === ErrorCode.SERVICE_UNAVAILABLE ? serviceUnavailable(mapped.message, error) : error;
    }
    // No SQLSTATE: the connection itself failed (cut, reset, not queryable any more).
    if (this.broken || isSystemError(error)) return serviceUnavailable('The database connection was lost; retry later', error);
    return error;
  }
}

function withDeadline<T>(promise: Promise<T>, ms: number): Promise<T> {
  if (ms <= 0) return Promise.reject(new GateTimeoutError(ms));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new GateTimeoutError(ms)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

function isPromise(value: unknown): value is Promise<unknown> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}

/** A Node socket error (ECONNRESET, EPIPE, ...): its code is a name, not a SQLSTATE. */
function isSystemError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^E[A-Z]+$/.test(code);
}
