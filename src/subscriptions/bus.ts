/**
 * Where committed changes travel between the instances of the API: one topic
 * per thing a client can watch (./topics.ts), a message per change. The bus
 * carries strings and promises nothing: a message published while a
 * subscriber's link is down is lost, which is why `onResync` exists and why
 * every event carries a version a subscription can catch up from.
 */
export interface EventBus {
  /** Fire and forget, after commit: a failure is counted, never thrown at the write. */
  publish(topic: string, message: string): void;
  /**
   * Whether a message on `topic` could reach anyone: a shared bus cannot know
   * (other instances listen), the embedded one knows its own listeners. A
   * write skips writing the messages of topics nobody hears.
   */
  reaches(topic: string): boolean;
  /** Calls `listener` for each message on `topic` until the returned function is called. */
  subscribe(topic: string, listener: (message: string) => void): () => void;
  /** Calls `listener` whenever messages may have been missed (the link to the bus came back). */
  onResync(listener: () => void): () => void;
  close(): Promise<void>;
}

/**
 * Local listeners by topic, shared by both buses: the first listener of a
 * topic asks the transport for it, the last one leaving gives it back, so an
 * instance holds one subscription per topic however many clients watch it.
 */
export class TopicListeners {
  private readonly byTopic = new Map<string, Set<(message: string) => void>>();

  constructor(
    private readonly onFirst: (topic: string) => void,
    private readonly onLast: (topic: string) => void,
  ) {}

  add(topic: string, listener: (message: string) => void): () => void {
    let listeners = this.byTopic.get(topic);
    if (!listeners) {
      listeners = new Set();
      this.byTopic.set(topic, listeners);
      this.onFirst(topic);
    }
    listeners.add(listener);
    return () => {
      if (!listeners.delete(listener) || listeners.size > 0) return;
      this.byTopic.delete(topic);
      this.onLast(topic);
    };
  }

  deliver(topic: string, message: string): void {
    for (const listener of this.byTopic.get(topic) ?? []) listener(message);
  }

  has(topic: string): boolean {
    return this.byTopic.has(topic);
  }

  get topics(): string[] {
    return [...this.byTopic.keys()];
  }
}

/** The embedded mode's bus: one process, so publishing is delivering. */
export function createMemoryBus(): EventBus {
  const listeners = new TopicListeners(() => {}, () => {});
  return {
    publish: (topic, message) => listeners.deliver(topic, message),
    reaches: (topic) => listeners.has(topic),
    subscribe: (topic, listener) => listeners.add(topic, listener),
    onResync: () => () => {},
    close: async () => {},
  };
}
