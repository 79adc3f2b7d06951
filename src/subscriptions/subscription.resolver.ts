import { Arg, FieldResolver, ID, Resolver, Root, Subscription, type SubscribeResolverData } from 'type-graphql';
import { Message } from '../conversations/conversation.type.js';
import type { MessageRow } from '../conversations/conversation.table.js';
import { findConversationsByIds } from '../conversations/conversation.repository.js';
import { badInput, notFound } from '../errors.js';
import { parseId } from '../ids.js';
import { Storyboard } from '../storyboards/storyboard.type.js';
import type { StoryboardRow } from '../storyboards/storyboard.table.js';
import { findTasksByIds, type TaskSummaryRow } from '../tasks/task.repository.js';
import { Task } from '../tasks/task.type.js';
import { messageFeed, storyboardFeed, taskFeed, viewerTasksFeed, type TaskChangeValue } from './feeds.js';
import type { LiveContext } from './live-context.js';
import { TaskChange } from './subscription.types.js';
import { messageVersion, sharedTaskVersion, storyboardVersion } from './topics.js';
import { parseVersion } from './version.js';

type Data = SubscribeResolverData<unknown, Record<string, string | null | undefined>, LiveContext>;

const SINCE = 'A version this API gave out: first sends what changed after it (the current state, if newer), then live changes.';

function idArg(value: string | null | undefined, argument: string): string {
  const id = value ? parseId(value) : undefined;
  if (id === undefined) throw badInput(`${argument} must be a UUID`, { argument });
  return id;
}

/** `since`, checked before anything is read: a malformed one is BAD_USER_INPUT. */
function sinceArg(value: string | null | undefined): string | undefined {
  if (value === null || value === undefined) return undefined;
  parseVersion(value);
  return value;
}

/** The viewer's task or NOT_FOUND (another user's id answers the same as a missing one). */
async function viewerTask({ context }: Data, taskId: string): Promise<TaskSummaryRow> {
  const [row] = await findTasksByIds(context.db, context.viewer.id, [taskId]);
  if (!row) throw notFound('Task', taskId);
  return row;
}

/**
 * The live fields. Each checks, before it listens, what the matching query
 * would: the viewer's own task or conversation, or NOT_FOUND. Values are the
 * rows queries answer, so every field of Task, Storyboard and Message resolves
 * as it does there.
 */
@Resolver()
export class SubscriptionResolver {
  @Subscription(() => Task, {
    description: 'The task after each change: status, progress, error. Completes when the task is deleted.',
    subscribe: async (data: Data) => {
      const { context, args } = data;
      const taskId = idArg(args.id, 'id');
      const since = sinceArg(args.since);
      await viewerTask(data, taskId);
      const feed = taskFeed(taskId, async () => (await findTasksByIds(context.db, context.viewer.id, [taskId]))[0] ?? null);
      return context.hub.open(context.session, feed, since);
    },
  })
  taskUpdated(@Root() task: TaskSummaryRow, @Arg('id', () => ID) _id: string, @Arg('since', () => String, { nullable: true, description: SINCE }) _since?: string): TaskSummaryRow {
    return task;
  }

  @Subscription(() => TaskChange, {
    description: "The viewer's tasks as they are created, updated and deleted.",
    subscribe: ({ context, args }: Data) => {
      const since = sinceArg(args.since);
      return context.hub.open(context.session, viewerTasksFeed(context.db, context.viewer.id, context.hub.config.replayMax), since);
    },
  })
  viewerTasksChanged(@Root() change: TaskChangeValue, @Arg('since', () => String, { nullable: true, description: SINCE }) _since?: string): TaskChangeValue {
    return change;
  }

  @Subscription(() => Message, {
    description: 'Each message posted to one of the viewer\'s conversations.',
    subscribe: async ({ context, args }: Data) => {
      const conversationId = idArg(args.conversationId, 'conversationId');
      const since = sinceArg(args.since);
      const [conversation] = await findConversationsByIds(context.db, context.viewer.id, [conversationId]);
      if (!conversation) throw notFound('Conversation', conversationId);
      return context.hub.open(context.session, messageFeed(context.db, conversationId, context.hub.config.replayMax), since);
    },
  })
  messageAdded(
    @Root() message: MessageRow,
    @Arg('conversationId', () => ID) _conversationId: string,
    @Arg('since', () => String, { nullable: true, description: SINCE }) _since?: string,
  ): MessageRow {
    return message;
  }

  @Subscription(() => Storyboard, {
    description: "Storyboards added to one of the viewer's tasks, and media set on them.",
    subscribe: async (data: Data) => {
      const { context, args } = data;
      const taskId = idArg(args.taskId, 'taskId');
      const since = sinceArg(args.since);
      await viewerTask(data, taskId);
      return context.hub.open(context.session, storyboardFeed(context.db, taskId, context.hub.config.replayMax), since);
    },
  })
  storyboardsChanged(
    @Root() storyboard: StoryboardRow,
    @Arg('taskId', () => ID) _taskId: string,
    @Arg('since', () => String, { nullable: true, description: SINCE }) _since?: string,
  ): StoryboardRow {
    return storyboard;
  }
}

const VERSION = 'Opaque; changes with every change of this row. Pass it as `since` to a subscription to miss nothing.';

@Resolver(() => Task)
export class TaskVersionResolver {
  @FieldResolver(() => String, { description: VERSION })
  version(@Root() task: TaskSummaryRow): string {
    return sharedTaskVersion(task);
  }
}

@Resolver(() => Storyboard)
export class StoryboardVersionResolver {
  @FieldResolver(() => String, { description: VERSION })
  version(@Root() storyboard: StoryboardRow): string {
    return storyboardVersion(storyboard);
  }
}

@Resolver(() => Message)
export class MessageVersionResolver {
  @FieldResolver(() => String, { description: VERSION })
  version(@Root() message: MessageRow): string {
    return messageVersion(message);
  }
}

export const subscriptionResolvers = [SubscriptionResolver, TaskVersionResolver, StoryboardVersionResolver, MessageVersionResolver] as const;

/**
 * type-graphql wants a pubSub as soon as a schema has subscriptions; ours each
 * bring their own `subscribe` (the hub), so topics-based subscriptions would be a mistake.
 */
export const noTopicPubSub = {
  publish(): void {
    throw new Error('Publish through the write path (src/writes/), not through type-graphql');
  },
  subscribe(): never {
    throw new Error('Subscriptions take a `subscribe` function (src/subscriptions/), not topics');
  },
};
