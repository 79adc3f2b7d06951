/**
 * npm run cache:warm -- [--users 100]
 *
 * Fills the shared cache before traffic does (after a deploy that bumped a
 * namespace, or a Redis restart): for the most recently active users (by
 * their latest tasks.updated_at), runs the first pages the app opens with
 * through the real server in-process, as each user, so that the entity and
 * response caches hold them. Useful only with REDIS_URL: an in-process cache
 * ends with this command.
 */
import 'reflect-metadata';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { createCache, createCacheStore } from '../../src/cache/create-cache.js';
import { isBookkeepingKey } from '../../src/cache/namespace.js';
import type { CacheEntry, CacheStore, ExpectedValue } from '../../src/cache/store.js';
import { loadConfig, type Config } from '../../src/config.js';
import type { DatabaseHandle } from '../../src/db/connect.js';
import { openDatabase } from '../../src/db/open.js';
import { SqlTracker } from '../../src/db/sql-tracker.js';
import { findRecentlyActiveUserIds } from '../../src/tasks/task.repository.js';
import { startToolServer } from '../tool-server.js';
import { UsageError, runCommand } from './run-command.js';

const USAGE = 'Usage: npm run cache:warm -- [--users 100]';
const DEFAULT_USERS = 100;
const MAX_USERS = 100_000;

/** The app's first screens. A response is cached per document, so clients that send these same texts get whole-response hits. */
export const WARM_OPERATIONS = [
  {
    operationName: 'FirstTasksPage',
    query: `query FirstTasksPage {
  tasks(first: 20) {
    edges { cursor node { id topic status priority progress error createdAt updatedAt latestScript { id version title createdAt } } }
    pageInfo { hasNextPage endCursor }
  }
}`,
  },
  {
    operationName: 'FirstConversationsPage',
    query: `query FirstConversationsPage {
  conversations(first: 20) {
    edges { cursor node { id title createdAt updatedAt task { id topic } messages(last: 20) { nodes { id role content createdAt } pageInfo { hasPreviousPage startCursor } } } }
    pageInfo { hasNextPage endCursor }
  }
}`,
  },
] as const;

export interface WarmDeps {
  readonly config: Config;
  readonly database: DatabaseHandle;
  readonly tracker: SqlTracker;
}

export interface WarmReport {
  readonly users: number;
  /** Cache entries written: entities, lists and responses (not fences or leases). */
  readonly entries: number;
  /** Operations that answered an error: their data was not cached. */
  readonly failed: number;
}

export async function warmCache(deps: WarmDeps, options: { readonly users: number }): Promise<WarmReport> {
  const active = await findRecentlyActiveUserIds(deps.database.db, options.users);
  // The API's own cache, as configured, over a store that counts what is written through it.
  const store = countingStore(createCacheStore(deps.config.cache));
  const cache = createCache(deps.config.cache, undefined, store);
  const tool = await startToolServer({ ...deps, cache });
  let failed = 0;
  try {
    await store.connected();
    for (const userId of active) {
      const authorization = `Bearer ${await tool.tokenFor(userId)}`;
      for (const operation of WARM_OPERATIONS) {
        const response = await tool.server.app.inject({ method: 'POST', url: '/graphql', headers: { authorization }, payload: operation });
        if (response.statusCode !== 200 || (response.json() as { errors?: unknown }).errors !== undefined) failed += 1;
      }
    }
    // Responses are stored after they are answered: wait for those writes too.
    await store.settled();
  } finally {
    await tool.close();
    await cache.close();
  }
  return { users: active.length, entries: store.entries, failed };
}

/** The store, counting the entries written through it and keeping its writes in flight to wait for. */
function countingStore(store: CacheStore) {
  const inFlight = new Set<Promise<unknown>>();
  let entries = 0;
  /** Counts `written` once `write` lands (and, for a conditional write, once it did write). */
  function track<T>(written: readonly CacheEntry[], write: Promise<T>): Promise<T> {
    const counted = write.then((result) => {
      if (result !== false) entries += written.filter((entry) => !isBookkeepingKey(entry.key)).length;
      return result;
    });
    const tracked = counted.finally(() => inFlight.delete(tracked)).catch(() => {});
    inFlight.add(tracked);
    return counted;
  }
  const writeIfUnchanged = store.writeIfUnchanged?.bind(store);
  const counting = {
    kind: store.kind,
    mget: (keys: readonly string[]) => store.mget(keys),
    takeLeases: (leaseKeys: readonly string[], entryKeys: readonly string[], ttlMs: number) => store.takeLeases(leaseKeys, entryKeys, ttlMs),
    ping: () => store.ping(),
    close: () => store.close(),
    write: (written: readonly CacheEntry[], remove?: readonly string[]) => track(written, store.write(written, remove)),
    // Only when the store has it: without it the cache takes its other write path, as it would in the API.
    ...(writeIfUnchanged && {
      writeIfUnchanged: (expected: readonly ExpectedValue[], written: readonly CacheEntry[]) => track(written, writeIfUnchanged(expected, written)),
    }),
    get entries() {
      return entries;
    },
    async settled(): Promise<void> {
      while (inFlight.size > 0) await Promise.all(inFlight);
    },
    /** Redis answers before the first user: commands sent while it connects would fail, and warm nothing. */
    async connected(): Promise<void> {
      for (let attempt = 0; ; attempt += 1) {
        try {
          return await store.ping();
        } catch (error) {
          if (attempt >= 50) throw error;
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      }
    },
  };
  return counting;
}

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { users: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const users = values.users === undefined ? DEFAULT_USERS : Number(values.users);
  if (!Number.isSafeInteger(users) || users < 1 || users > MAX_USERS) throw new UsageError(`--users must be an integer from 1 to ${MAX_USERS}`);

  const config = loadConfig(process.env);
  if (config.cache.mode === 'off') throw new UsageError('CACHE_MODE=off: there is no cache to warm');
  if (config.cache.redisUrls.length === 0) {
    console.warn('warning: REDIS_URL is not set, so this warms an in-process cache that ends with the command. Set REDIS_URL to the API\'s Redis.');
  }
  const tracker = new SqlTracker();
  const database = await openDatabase(config, tracker, pino({ level: 'warn' }));
  try {
    const started = Date.now();
    const report = await warmCache({ config, database, tracker }, { users });
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    console.log(`Warmed ${report.users} users: ${report.entries} cache entries in ${seconds} s.`);
    if (report.failed > 0) console.error(`${report.failed} operations answered errors; their data was not cached.`);
    return report.failed > 0 ? 1 : 0;
  } finally {
    await database.close();
  }
}

// Run as a command (not when a test imports warmCache).
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) runCommand('cache:warm', USAGE, main);
