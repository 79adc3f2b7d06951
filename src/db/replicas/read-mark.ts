import type { KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs, QueryResult, RootOperationNode, UnknownRow } from 'kysely';
import type { Db } from '../database.js';

/**
 * Marks every statement as a read that a replica may answer. kysely-replication
 * sends raw SQL to the primary, because it cannot tell a raw read from a write;
 * it reads this mark (`__dialect__`, as its own withReplica does) and routes
 * the statement like any SELECT, through the read-your-writes strategy
 * (./read-routing.ts). Without replicas nothing reads the mark.
 * Its own WithDialectPlugin also sets `__replicaIndex__`, which bypasses that
 * strategy, hence this one.
 */
class ReadMark implements KyselyPlugin {
  transformQuery({ node }: PluginTransformQueryArgs): RootOperationNode {
    return { ...node, __dialect__: 'replica' } as unknown as RootOperationNode;
  }

  transformResult({ result }: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return Promise.resolve(result);
  }
}

const readMark = new ReadMark();
const marked = new WeakMap<Db, Db>();

/** `db` with every statement sent through it marked as a read: for raw SQL that only ever SELECTs. */
export function markedAsReads(db: Db): Db {
  let handle = marked.get(db);
  if (handle === undefined) {
    handle = db.withPlugin(readMark);
    marked.set(db, handle);
  }
  return handle;
}
