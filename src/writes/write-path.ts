import type { RequestCache } from '../cache/request-cache.js';
import type { Loaders } from '../loaders.js';
import { taskRowFences } from '../tasks/task.cache.js';
import type { WriteChanges, Written } from './changes.js';
import { primeLoaders } from './prime-loaders.js';
import { fencesMovedBy, rowsWrittenThrough } from './write-fences.js';

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
  ) {}

  async run<T>(work: () => Promise<Written<T>>, options: WriteOptions = {}): Promise<T> {
    const taskIds = options.taskIds ?? [];
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
    await this.cache.commitWrite(fences, through, before);
    primeLoaders(this.loaders(), changes);
  }
}
