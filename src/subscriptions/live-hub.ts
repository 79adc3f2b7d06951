import type { FastifyBaseLogger } from 'fastify';
import type { Viewer } from '../auth/viewer.js';
import type { SubscriptionsConfig } from '../config.js';
import type { Db } from '../db/database.js';
import { ApiError, ErrorCode } from '../errors.js';
import type { RateLimiter } from '../resilience/rate-limiter.js';
import type { WriteChanges } from '../writes/changes.js';
import type { EventBus } from './bus.js';
import { EventStream, type StreamObserver } from './event-stream.js';
import type { SubscriptionMetrics } from './subscription.metrics.js';
import { decodeShared, eventsOf, messagesOf, type LiveEvent } from './topics.js';
import { isNewer, isOlder, parseVersion, versionOf } from './version.js';

/** The close code of a consumer that stayed behind: its buffer filled (graphql-ws keeps 44xx for the protocol). */
export const SLOW_CONSUMER_CLOSE = { code: 4413, reason: 'Slow consumer: events were not read in time' } as const;

/** One graphql-ws socket, as the subscriptions on it see it. */
export interface LiveSession {
  readonly viewer: Viewer;
  /** Subscriptions running on this socket. */
  active: number;
  close(code: number, reason: string): void;
  /** Holds this socket's writes until the event loop's turn ends: the values of one event leave in one write. */
  batchWrites?(): void;
}

/** What one subscription field reads and hears (./feeds.ts builds one per field). */
export interface Feed<T> {
  readonly field: string;
  readonly topic: string;
  /** The value a bus event gives this subscriber, with its version and coalescing key; 'end' completes it; null skips it. */
  fromEvent(event: LiveEvent): Delivery<T> | 'end' | null;
  /** What changed after `cursor` (a version), read from the database: the replay of `since` and of a resync. */
  catchUp(cursor: string | undefined): Promise<Delivery<T>[]>;
}

export interface Delivery<T> {
  readonly value: T;
  readonly version: string;
  /** Which row it is: a later version of the same row replaces a waiting one, an older or equal one is dropped. */
  readonly rowId: string;
  readonly committedAt: number;
}

/**
 * The live-update side of one instance: the write path publishes through it,
 * each subscription field opens a stream through it. It holds the limits that
 * span sockets (per viewer) and the metrics.
 */
export class LiveHub {
  private readonly perViewer = new Map<string, number>();
  private readonly resyncs = new Set<() => void>();

  constructor(
    readonly bus: EventBus,
    readonly db: Db,
    readonly config: SubscriptionsConfig,
    readonly metrics: SubscriptionMetrics,
    private readonly limiter: RateLimiter,
    private readonly log: FastifyBaseLogger,
  ) {
    bus.onResync(() => {
      if (this.resyncs.size > 0) metrics.resyncs.inc();
      for (const resync of this.resyncs) resync();
    });
  }

  /**
   * After commit (src/writes/write-path.ts): one bus message per topic the write
   * touched that the bus can deliver, with that topic's events. The embedded
   * bus delivers only to this process's listeners: a createTask nobody watches
   * writes no message (its events' JSON was ~3 % of the request's CPU).
   */
  publish(viewerId: string, changes: WriteChanges): void {
    const events = eventsOf(viewerId, changes, Date.now()).filter(([topic]) => this.bus.reaches(topic));
    if (events.length === 0) return;
    for (const [topic, message] of messagesOf(events)) this.bus.publish(topic, message);
    this.metrics.published.inc(events.length);
  }

  /**
   * A subscription's stream: limits first (per socket, per viewer, the rate
   * budget), then the bus topic, and only then the catch-up from `since`, so
   * a change committed in between is heard at least once; versions drop what
   * was already sent.
   */
  async open<T>(session: LiveSession, feed: Feed<T>, since: string | undefined): Promise<AsyncIterableIterator<T>> {
    const viewerId = session.viewer.id;
    if (session.active >= this.config.maxPerConnection) throw limitError(`At most ${this.config.maxPerConnection} subscriptions per connection`);
    if ((this.perViewer.get(viewerId) ?? 0) >= this.config.maxPerViewer) throw limitError(`At most ${this.config.maxPerViewer} subscriptions per user`);
    // The slot is taken before anything is awaited: subscribes sent together are counted together.
    session.active += 1;
    this.perViewer.set(viewerId, (this.perViewer.get(viewerId) ?? 0) + 1);
    const release = () => {
      session.active -= 1;
      const left = (this.perViewer.get(viewerId) ?? 1) - 1;
      if (left === 0) this.perViewer.delete(viewerId);
      else this.perViewer.set(viewerId, left);
    };
    const decision = await this.limiter.consume({ kind: 'viewer', id: viewerId }, this.config.subscribeCost);
    if (!decision.allowed) {
      release();
      throw new ApiError(ErrorCode.RATE_LIMITED, 'Too many subscribes: retry later', { retryAfterSeconds: decision.retryAfterSeconds });
    }

    const { metrics } = this;
    const field = feed.field;
    const stream = new EventStream<T>(this.config.bufferEvents, new StreamMetrics(metrics, field, session));
    // The last version sent of each row: what a replay or a late event must beat.
    const sent = new Map<string, string>();
    // The client holds the row `since` names: the catch-up, which reads its millisecond again, skips it.
    if (since !== undefined) sent.set(parseVersion(since).id, since);
    // Without `since`, a resync catches up from the moment of subscribing.
    let cursor = since ?? versionOf(Date.now(), 'subscribed');
    const deliver = (delivery: Delivery<T>) => {
      if (isStale(delivery.version, sent.get(delivery.rowId))) return;
      sent.set(delivery.rowId, delivery.version);
      if (laterInstant(delivery.version, cursor)) cursor = delivery.version;
      stream.push(delivery.value, delivery.committedAt, delivery.rowId);
    };
    const catchUp = () =>
      feed.catchUp(cursor).then(
        (deliveries) => deliveries.forEach(deliver),
        (error: unknown) => this.log.warn({ err: error, field }, 'a subscription could not catch up'),
      );

    metrics.subscriptions.inc({ field });
    const unsubscribe = this.bus.subscribe(feed.topic, (message) => {
      session.batchWrites?.();
      for (const event of decodeShared(message)) {
        const delivery = feed.fromEvent(event);
        if (delivery === 'end') return stream.finish();
        if (delivery) deliver(delivery);
      }
    });
    this.resyncs.add(catchUp);
    stream.onEnd(() => {
      unsubscribe();
      this.resyncs.delete(catchUp);
      release();
      metrics.subscriptions.dec({ field });
    });
    if (since !== undefined) await catchUp();
    return stream;
  }
}

/**
 * A stream's observer: an object of its own rather than three closures, since
 * every subscription holds one for its whole life.
 */
class StreamMetrics implements StreamObserver {
  constructor(
    private readonly metrics: SubscriptionMetrics,
    private readonly field: string,
    private readonly session: LiveSession,
  ) {}

  coalesced(): void {
    this.metrics.coalesced.inc({ field: this.field });
  }

  overflowed(): void {
    this.metrics.dropped.inc({ reason: 'slow_consumer' });
    this.session.close(SLOW_CONSUMER_CLOSE.code, SLOW_CONSUMER_CLOSE.reason);
  }

  handedOut(committedAt: number): void {
    this.metrics.delivered.inc({ field: this.field });
    this.metrics.deliverySeconds.observe(Math.max(0, Date.now() - committedAt) / 1_000);
  }
}

function limitError(message: string): ApiError {
  return new ApiError(ErrorCode.RATE_LIMITED, message);
}


/** Equal to, or older than, what this subscriber already has of that row. */
function isStale(candidate: string, known: string | undefined): boolean {
  return known !== undefined && (isOlder(candidate, known) || !isNewer(candidate, known));
}

function laterInstant(a: string, b: string): boolean {
  return parseVersion(a).atMs > parseVersion(b).atMs;
}
