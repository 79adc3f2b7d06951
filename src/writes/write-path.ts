import type { RequestCache } from '../cache/request-cache.js';
import type { Loaders } from '../loaders.js';
import { taskRowFences } from '../tasks/task.cache.js';
import type { WriteChanges, Written } from './changes.js';
import { primeLoaders } from './prime-loaders.js';
import { fencesMovedBy, rowsWrittenThrough } from './write-fences.js';

/** Rows a write may write through: a single write and W6's 100-task batch are; a 500-row batch is not. */
export const WRITE_THROUGH_MAX_ROWS = 100;

/** Who else hears of a committed write, besides the cache and the loaders. */
export interface WriteHooks {
  /** Live updates (src/subscriptions/): hears what each write changed, after commit. */
  readonly publish?: ((changes: WriteChanges) => void) | undefined;
  /** Leaves the write's WAL position for the viewer's reads (src/db/replicas/); absent without replicas. */
  readonly recordWrite?: (() => Promise<void>) | undefined;
}

export interface WriteOptions {
  /**
   * Tasks whose rows the write will answer, by id, when known before it runs
   * (from the input, or made for it): their fence tokens are read first, which
   * is what lets their rows be written through afterwards, safely.
   */
  readonly taskIds?: readonly string[];
}

/**
 * The one way a mutation writes, per request. `run` runs the work (its SQL,
 * committed when the work returns) and then `commit` applies what the work
 * declared it changed: the fences move (with the rows it holds written
 * through under the new tokens, so the next read is a hit), and this
 * request's loaders are primed. Nothing happens for a write that throws.
 */
export class WritePath {
  constructor(
    private readonly cache: RequestCache,
    private readonly loaders: () => Loaders,
    private readonly hooks: WriteHooks = {},
  ) {}

  async run<T>(work: () => Promise<Written<T>>, options: WriteOptions = {}): Promise<T> {
    // A batch is not written through: its rows are seldom read back one by one
    // soon, and reading 500 tokens before and storing 500 entries after cost
    // the API ~38 µs per row (measured, tools/batch/measure.ts), more than the
    // misses it saves. Its fences still move; a later read loads the row.
    const taskIds = (options.taskIds?.length ?? 0) <= WRITE_THROUGH_MAX_ROWS ? (options.taskIds ?? []) : [];
    // Read BEFORE the SQL: a write committed after this read moves one of them, and then ours stores nothing.
    const before = taskIds.length > 0 ? await this.cache.fenceTokensBeforeWrite(taskIds.flatMap(taskRowFences)) : null;
    const { result, changes } = await work();
    await this.commit(changes, before);
    return result;
  }

  /** After commit only: fences and write-through in one step, then the loaders. Awaited before the mutation answers. */
  async commit(changes: WriteChanges, before: ReadonlyMap<string, string | null> | null): Promise<void> {
    // Only rows whose fences were read before the write (an idempotent retry answers other ids).
    const through = before ? rowsWrittenThrough(changes).filter((row) => row.fences.every((fence) => before.has(fence))) : [];
    const fences = [...new Set([...fencesMovedBy(changes), ...through.flatMap((row) => row.fences)])];
    // Before the fences move: a read that misses under the new tokens must already be
    // routed past this write, or it could cache a replica's older rows under them.
    await this.hooks.recordWrite?.();
    await this.cache.commitWrite(fences, through, before);
    // After the fences moved: a subscriber that reads on hearing the event reads the new rows.
    this.hooks.publish?.(changes);
    primeLoaders(this.loaders(), changes);
  }
}
