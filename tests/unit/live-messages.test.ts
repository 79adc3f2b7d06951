import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/database.js';
import type { RateLimiter } from '../../src/resilience/rate-limiter.js';
import type { SubscriptionsConfig } from '../../src/config.js';
import { createMemoryBus } from '../../src/subscriptions/bus.js';
import { LiveHub } from '../../src/subscriptions/live-hub.js';
import { createSubscriptionMetrics } from '../../src/subscriptions/subscription.metrics.js';
import type { TaskSummaryRow } from '../../src/tasks/task.repository.js';
import { decodeEvents, eventsOf, messagesOf, topics } from '../../src/subscriptions/topics.js';

const at = new Date('2026-12-06T07:00:00.000Z');
const task = (id: string, userId = 'u1'): TaskSummaryRow =>
  ({ id, userId, topic: `topic ${id}`, status: 'pending', priority: 'normal', progress: 0, error: null, createdAt: at, updatedAt: at, options: { style: 'x' } }) as TaskSummaryRow;

/** What a task event carries: the row without its options. */
function summary(id: string) {
  const { options: _options, ...rest } = task(id);
  return rest;
}

describe('messagesOf', () => {
  it('puts a write on the bus as one message per topic, holding that topic\'s events in order', () => {
    const events = eventsOf('u1', { tasks: { created: [task('a'), task('b')], updated: [task('c')] } }, at.getTime());
    const messages = messagesOf(events);

    expect([...messages.keys()]).toEqual([topics.viewerTasks('u1'), topics.task('c')]);
    const viewerEvents = decodeEvents(messages.get(topics.viewerTasks('u1'))!);
    expect(viewerEvents.map((event) => [event.type === 'task' && event.kind, event.id])).toEqual([['created', 'a'], ['created', 'b'], ['updated', 'c']]);
    // Dates travel as ISO strings, each formatted as toISOString does, and come back as Dates; options stay off the bus.
    expect(messages.get(topics.viewerTasks('u1'))).toContain(`"createdAt":"${at.toISOString()}","updatedAt":"${at.toISOString()}"`);
    expect(viewerEvents[0]!.row).toStrictEqual(summary('a'));
    expect(decodeEvents(messages.get(topics.task('c'))!)).toStrictEqual([{ type: 'task', kind: 'updated', id: 'c', row: summary('c'), committedAt: at.getTime() }]);
  });

  it('reads a message of one event sent as itself, as instances before batching sent every event', () => {
    const [[, event]] = eventsOf('u1', { tasks: { updated: [task('c')] } }, at.getTime()) as [[string, unknown]];
    expect(decodeEvents(JSON.stringify(event))).toHaveLength(1);
    expect(decodeEvents(JSON.stringify(event))[0]).toMatchObject({ kind: 'updated', id: 'c', row: { updatedAt: at } });
  });
});

describe('publishing on the embedded bus', () => {
  // publish() reads only the bus and the metrics; the rest serves open().
  const hubOn = (bus: ReturnType<typeof createMemoryBus>, registry: Registry) =>
    new LiveHub(bus, {} as Db, {} as SubscriptionsConfig, createSubscriptionMetrics(registry), {} as RateLimiter, console as never);

  it('writes messages only for the topics this process listens to', async () => {
    const bus = createMemoryBus();
    const sent: string[] = [];
    const publish = bus.publish;
    bus.publish = (topic, message) => (sent.push(topic), publish(topic, message));
    const registry = new Registry();
    const hub = hubOn(bus, registry);
    const heard: string[] = [];

    hub.publish('u1', { tasks: { created: [task('a')], updated: [task('c')] } });
    expect(sent).toEqual([]);

    const stop = bus.subscribe(topics.task('c'), (message) => heard.push(message));
    expect(bus.reaches(topics.task('c'))).toBe(true);
    expect(bus.reaches(topics.viewerTasks('u1'))).toBe(false);
    hub.publish('u1', { tasks: { created: [task('a')], updated: [task('c')] } });
    expect(sent).toEqual([topics.task('c')]);
    expect(decodeEvents(heard[0]!).map((event) => event.id)).toEqual(['c']);
    // Only what went on the bus is counted as published.
    expect((await registry.getSingleMetric('subscription_events_published_total')!.get()).values[0]!.value).toBe(1);

    stop();
    expect(bus.reaches(topics.task('c'))).toBe(false);
  });
});
