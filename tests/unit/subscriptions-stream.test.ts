import { describe, expect, it } from 'vitest';
import { EventStream, type StreamObserver } from '../../src/subscriptions/event-stream.js';
import { isNewer, parseVersion, versionOf } from '../../src/subscriptions/version.js';

function observed() {
  const counts = { coalesced: 0, overflowed: 0, handedOut: 0 };
  const observer: StreamObserver = {
    coalesced: () => void (counts.coalesced += 1),
    overflowed: () => void (counts.overflowed += 1),
    handedOut: () => void (counts.handedOut += 1),
  };
  return { counts, observer };
}

async function drain<T>(stream: EventStream<T>, count: number): Promise<T[]> {
  const values: T[] = [];
  for (let i = 0; i < count; i += 1) values.push((await stream.next()).value as T);
  return values;
}

describe('a subscription buffer', () => {
  it('keeps only the latest waiting value of one row, in the place of the first', async () => {
    const { counts, observer } = observed();
    const stream = new EventStream<string>(3, observer);
    stream.push('task-a 10%', 0, 'a');
    stream.push('task-b 10%', 0, 'b');
    stream.push('task-a 20%', 0, 'a');
    stream.push('task-a 30%', 0, 'a');

    expect(await drain(stream, 2)).toEqual(['task-a 30%', 'task-b 10%']);
    expect(counts).toEqual({ coalesced: 2, overflowed: 0, handedOut: 2 });
  });

  it('ends, dropping what waits, once more distinct rows wait than it holds', async () => {
    const { counts, observer } = observed();
    const stream = new EventStream<string>(2, observer);
    let ended = 0;
    stream.onEnd(() => (ended += 1));
    for (const key of ['a', 'b', 'c', 'd']) stream.push(key, 0, key);

    expect(counts.overflowed).toBe(1);
    expect(ended).toBe(1);
    expect(stream.buffered).toBe(0);
    expect(await stream.next()).toEqual({ value: undefined, done: true });
  });

  it('hands a value straight to a waiting pull without buffering it', async () => {
    const { observer } = observed();
    const stream = new EventStream<string>(1, observer);
    const pulled = stream.next();
    stream.push('now', 0, 'a');

    expect(await pulled).toEqual({ value: 'now', done: false });
    expect(stream.buffered).toBe(0);
  });
});

describe('versions', () => {
  it('orders by instant, and tells apart two changes of one row within a millisecond', () => {
    const at = new Date('2026-12-05T05:00:00.123Z');
    const first = versionOf(at, 'row', 'running', 0.1);
    const second = versionOf(at, 'row', 'running', 0.2);
    const later = versionOf(new Date(at.getTime() + 1), 'row', 'running', 0.1);

    expect([isNewer(second, first), isNewer(first, first), isNewer(later, second), isNewer(first, later)]).toEqual([true, false, true, false]);
    expect(parseVersion(first)).toMatchObject({ atMs: at.getTime(), id: 'row' });
  });

  it('refuses a since that is not one of ours with BAD_USER_INPUT', () => {
    expect(() => parseVersion('nope')).toThrow(expect.objectContaining({ extensions: expect.objectContaining({ code: 'BAD_USER_INPUT' }) }));
  });
});
