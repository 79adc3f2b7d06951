import { GraphQLID, GraphQLObjectType, GraphQLSchema, GraphQLString, parse, type ExecutionResult } from 'graphql';
import { describe, expect, it } from 'vitest';
import { EventStream } from '../../src/subscriptions/event-stream.js';
import { createSharedSubscribe } from '../../src/subscriptions/shared-execution.js';

interface ToyContext {
  readonly viewerId: string;
  readonly stream: EventStream<object>;
}

const Item = new GraphQLObjectType<{ id: string }, ToyContext>({
  name: 'Item',
  fields: {
    id: { type: GraphQLID },
    // What a resolver may read from the context: the payload depends on who asks.
    seenBy: { type: GraphQLString, resolve: (_item, _args, context) => context.viewerId },
  },
});
const schema = new GraphQLSchema({
  query: new GraphQLObjectType({ name: 'Query', fields: { ok: { type: GraphQLString } } }),
  subscription: new GraphQLObjectType<unknown, ToyContext>({
    name: 'Subscription',
    fields: {
      watched: {
        type: Item,
        args: { id: { type: GraphQLID }, since: { type: GraphQLString } },
        subscribe: (_root, _args, context) => context.stream,
        resolve: (item: unknown) => item,
      },
    },
  }),
});
const document = parse('subscription($id: ID, $since: String) { watched(id: $id, since: $since) { id seenBy } }');
const observer = { coalesced: () => {}, overflowed: () => {}, handedOut: () => {} };

function setUp() {
  let executions = 0;
  const subscribe = createSharedSubscribe<ToyContext>({ scopeOf: (context) => context.viewerId, forEvent: (context) => context, executed: () => (executions += 1) });
  const subscriber = async (viewerId: string, variableValues: Record<string, unknown>) => {
    const stream = new EventStream<object>(10, observer);
    const results = (await subscribe({ schema, document, variableValues, contextValue: { viewerId, stream } })) as AsyncIterableIterator<ExecutionResult>;
    return { stream, results };
  };
  return { subscriber, executions: () => executions };
}

describe('createSharedSubscribe', () => {
  it('shares one execution among subscribers of the same viewer and variables, never between two viewers', async () => {
    const { subscriber, executions } = setUp();
    const subscribers = await Promise.all([subscriber('a', { id: '1' }), subscriber('a', { id: '1' }), subscriber('b', { id: '1' })]);
    const row = { id: '1' };
    for (const { stream } of subscribers) stream.push(row, Date.now());

    const [first, second, other] = await Promise.all(subscribers.map(({ results }) => results.next()));

    expect(first!.value).toEqual({ data: { watched: { id: '1', seenBy: 'a' } } });
    expect(second!.value).toBe(first!.value);
    expect(other!.value).toEqual({ data: { watched: { id: '1', seenBy: 'b' } } });
    expect(executions()).toBe(2);
  });

  it('shares across different `since` (it decides the replay, not the payload) but not across other variables', async () => {
    const { subscriber, executions } = setUp();
    const subscribers = await Promise.all([subscriber('a', { id: '1' }), subscriber('a', { id: '1', since: 'v1' }), subscriber('a', { id: '2' })]);
    const row = { id: '1' };
    for (const { stream } of subscribers) stream.push(row, Date.now());

    const [plain, resumed, otherId] = await Promise.all(subscribers.map(({ results }) => results.next()));

    expect(resumed!.value).toBe(plain!.value);
    expect(otherId!.value).not.toBe(plain!.value);
    expect(executions()).toBe(2);
  });

  it('executes a value of its own (a replay read for one subscriber) for that subscriber alone, and ends with its stream', async () => {
    const { subscriber, executions } = setUp();
    const [one, two] = await Promise.all([subscriber('a', {}), subscriber('a', {})]);
    one.stream.push({ id: '1' }, Date.now());
    two.stream.push({ id: '1' }, Date.now());

    await Promise.all([one.results.next(), two.results.next()]);
    two.stream.finish();

    expect(executions()).toBe(2);
    expect(await two.results.next()).toEqual({ value: undefined, done: true });
  });
});
