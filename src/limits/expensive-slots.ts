/**
 * Expensive requests in flight, per sender: at most `limit` each, so that one
 * sender with many connections cannot occupy the process with its expensive
 * requests while everyone else waits (the rate limit charges what a request
 * cost only once it has run). Counted in this process; a refusal is a 429.
 */
export class ExpensiveSlots {
  private readonly inFlight = new Map<string, number>();

  constructor(readonly limit: number) {}

  /** A release function (idempotent) when the sender has a slot free; undefined when it has none. */
  take(sender: string): (() => void) | undefined {
    const held = this.inFlight.get(sender) ?? 0;
    if (held >= this.limit) return undefined;
    this.inFlight.set(sender, held + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.inFlight.get(sender) ?? 1) - 1;
      if (left <= 0) this.inFlight.delete(sender);
      else this.inFlight.set(sender, left);
    };
  }

  held(sender: string): number {
    return this.inFlight.get(sender) ?? 0;
  }
}
