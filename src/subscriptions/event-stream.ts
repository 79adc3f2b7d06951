/** What a stream tells its owner: for the metrics, and to close a consumer that stays behind. */
export interface StreamObserver {
  coalesced(): void;
  /** The buffer was full: the stream has ended, the owner closes the consumer. */
  overflowed(): void;
  /** A value left the buffer for the socket, `committedAt` ms after its write committed. */
  handedOut(committedAt: number): void;
}

interface Entry<T> {
  readonly key: string | undefined;
  value: T;
  committedAt: number;
}

/**
 * One subscription's buffer between the bus and graphql-ws, which pulls one
 * value at a time and waits for the socket to take it. Bounded: at most
 * `capacity` values wait. A value with a key replaces the waiting value of the
 * same key (a task's progress: only the latest matters), so a watcher of one
 * busy task never fills it; past `capacity` the stream ends and the owner
 * closes the consumer, so memory stays bounded whatever a client does.
 */
export class EventStream<T> implements AsyncIterableIterator<T> {
  private readonly queue: Entry<T>[] = [];
  private waiting: ((result: IteratorResult<T>) => void) | undefined;
  private done = false;
  private readonly cleanups: (() => void)[] = [];

  constructor(
    private readonly capacity: number,
    private readonly observer: StreamObserver,
  ) {}

  /** Called once the stream ends, however it ends (completed, closed by the client, overflowed). */
  onEnd(cleanup: () => void): void {
    if (this.done) cleanup();
    else this.cleanups.push(cleanup);
  }

  push(value: T, committedAt: number, key?: string): void {
    if (this.done) return;
    if (this.waiting) {
      const resolve = this.waiting;
      this.waiting = undefined;
      this.observer.handedOut(committedAt);
      resolve({ value, done: false });
      return;
    }
    const same = key === undefined ? undefined : this.queue.find((entry) => entry.key === key);
    if (same) {
      same.value = value;
      same.committedAt = committedAt;
      this.observer.coalesced();
      return;
    }
    if (this.queue.length >= this.capacity) {
      this.finish();
      this.observer.overflowed();
      return;
    }
    this.queue.push({ key, value, committedAt });
  }

  get buffered(): number {
    return this.queue.length;
  }

  next(): Promise<IteratorResult<T>> {
    const entry = this.queue.shift();
    if (entry) {
      this.observer.handedOut(entry.committedAt);
      return Promise.resolve({ value: entry.value, done: false });
    }
    if (this.done) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => (this.waiting = resolve));
  }

  return(): Promise<IteratorResult<T>> {
    this.finish();
    return Promise.resolve({ value: undefined, done: true });
  }

  throw(error: unknown): Promise<IteratorResult<T>> {
    this.finish();
    return Promise.reject(error);
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  /** Ends the stream: a waiting pull answers done, what was buffered is dropped. */
  finish(): void {
    if (this.done) return;
    this.done = true;
    this.queue.length = 0;
    this.waiting?.({ value: undefined, done: true });
    this.waiting = undefined;
    for (const cleanup of this.cleanups.splice(0)) cleanup();
  }
}
