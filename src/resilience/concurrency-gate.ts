/** The gate had no free slot within the wait it was given. */
export class GateTimeoutError extends Error {
  constructor(waitMs: number) {
    super(`no free slot within ${waitMs} ms`);
    this.name = 'GateTimeoutError';
  }
}

interface Waiter {
  readonly admit: (release: () => void) => void;
  readonly timer: NodeJS.Timeout;
}

/**
 * A counting semaphore whose waiters give up: at most `limit` holders at once,
 * the rest wait in arrival order, each no longer than it asked to. This is the
 * performance guide's semaphore of 50, with the bound on waiting that makes
 * overload fail fast instead of piling up until every request times out.
 */
export class ConcurrencyGate {
  private holders = 0;
  private readonly waiters: Waiter[] = [];

  constructor(readonly limit: number) {}

  get running(): number {
    return this.holders;
  }

  get waiting(): number {
    return this.waiters.length;
  }

  /** A release function once a slot is free; GateTimeoutError after `waitMs` without one. */
  acquire(waitMs: number): Promise<() => void> {
    if (this.holders < this.limit && this.waiters.length === 0) {
      this.holders += 1;
      return Promise.resolve(this.releaser());
    }
    if (waitMs <= 0) return Promise.reject(new GateTimeoutError(waitMs));
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        admit: resolve,
        timer: setTimeout(() => {
          this.waiters.splice(this.waiters.indexOf(waiter), 1);
          reject(new GateTimeoutError(waitMs));
        }, waitMs),
      };
      this.waiters.push(waiter);
    });
  }

  /** Releasing twice is harmless: only the first call frees the slot. */
  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiters.shift();
      if (next) {
        // The slot passes straight to the next waiter: the holder count does not move.
        clearTimeout(next.timer);
        next.admit(this.releaser());
      } else {
        this.holders -= 1;
      }
    };
  }
}
