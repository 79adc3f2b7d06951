import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, ArgsType, Ctx, Field, FieldResolver, ID, Info, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Scope, requireScope } from '../auth/scopes.js';
import type { Context } from '../context.js';
import { connectionSelection } from '../execution/look-ahead.js';
import { notFound } from '../errors.js';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, pageSize } from '../pagination.js';
import type { TaskSummaryRow } from '../tasks/task.repository.js';
import { Task } from '../tasks/task.type.js';
import { User } from '../users/user.type.js';
import { loadConversationConnection, loadMessageConnection } from './conversation.connection.js';
import { ConversationOrder, CreateConversationInput, PostMessageInput } from './conversation.inputs.js';
import { insertConversation, insertMessage } from './conversation.repository.js';
import { type ConversationRow, MessageRole, type MessageRow } from './conversation.table.js';
import { Conversation, ConversationConnection, Message, MessageConnection } from './conversation.type.js';

@ArgsType()
class ForwardListArgs {
  @Field(() => Int, { nullable: true, description: 'From 0 to 100 (default 20).' })
  first?: number;

  @Field(() => String, { nullable: true })
  after?: string;
}

@ArgsType()
class ConversationListArgs extends ForwardListArgs {
  @Field(() => ConversationOrder, { nullable: true, defaultValue: ConversationOrder.UPDATED_AT_DESC })
  orderBy?: ConversationOrder;
}

@ArgsType()
class MessageListArgs extends ForwardListArgs {
  @Field(() => Int, { nullable: true, description: 'The newest N messages, from 0 to 100; with `before` to page back.' })
  last?: number;

  @Field(() => String, { nullable: true })
  before?: string;
}

@Resolver(() => Conversation)
export class ConversationResolver {
  @Query(() => Conversation, { nullable: true, description: "One of the viewer's conversations; null for any other id (missing or another user's)." })
  conversation(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<ConversationRow | null> {
    return ctx.loaders.conversationById.load(id);
  }

  @Query(() => ConversationConnection, { description: "The viewer's conversations, the newest activity first unless ordered otherwise." })
  conversations(
    @Args(() => ConversationListArgs, { validate: false }) args: ConversationListArgs,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
  ) {
    return loadConversationConnection(ctx, args, connectionSelection(info));
  }

  @FieldResolver(() => Task, { nullable: true })
  task(@Root() conversation: ConversationRow, @Ctx() ctx: Context): Promise<TaskSummaryRow | null> | null {
    return conversation.taskId === null ? null : ctx.loaders.taskById.load(conversation.taskId);
  }

  @FieldResolver(() => MessageConnection, { description: 'Oldest first: `first`/`after` from the start, `last`/`before` from the end.' })
  messages(
    @Root() conversation: ConversationRow,
    @Args(() => MessageListArgs, { validate: false }) args: MessageListArgs,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
  ) {
    return loadMessageConnection(ctx, conversation.id, args, connectionSelection(info));
  }

  @Mutation(() => Conversation)
  async createConversation(@Arg('input', () => CreateConversationInput) input: CreateConversationInput, @Ctx() ctx: Context) {
    return ctx.writes.run(async () => {
      const row = await insertConversation(ctx.db, ctx.viewer.id, input);
      if (!row) throw notFound('Task', input.taskId ?? '');
      return { result: row, changes: { conversations: { created: [row] } } };
    });
  }

  @Mutation(() => Message, {
    description: 'Posts a message; the conversation moves to the top of updatedAt. USER messages with any token; ASSISTANT, SYSTEM and TOOL with an agent token only.',
  })
  async postMessage(@Arg('input', () => PostMessageInput) input: PostMessageInput, @Ctx() ctx: Context): Promise<MessageRow> {
    // Words in the agent's mouth: the scope depends on an argument, so this one check is not declared on the field.
    if (input.role !== MessageRole.USER) requireScope(ctx.viewer, Scope.AGENT);
    return ctx.writes.run(async () => {
      const row = await insertMessage(ctx.db, ctx.viewer.id, input);
      if (!row) throw notFound('Conversation', input.conversationId);
      return { result: row, changes: { messages: { posted: [row] } } };
    });
  }
}

@Resolver(() => Message)
export class MessageResolver {
  @FieldResolver(() => Conversation)
  async conversation(@Root() message: Pick<MessageRow, 'conversationId'>, @Ctx() ctx: Context): Promise<ConversationRow> {
    return (await ctx.loaders.conversationById.load(message.conversationId)) ?? Promise.reject(notFound('Conversation', message.conversationId));
  }
}

@Resolver(() => Task)
export class TaskConversationsResolver {
  @FieldResolver(() => [Conversation], { description: 'Conversations about this task, newest first.' })
  conversations(
    @Root() task: TaskSummaryRow,
    @Arg('first', () => Int, {
      nullable: true,
      defaultValue: DEFAULT_PAGE_SIZE,
      description: `How many, from 0 to ${MAX_PAGE_SIZE}.`,
    })
    first: number | null,
    @Ctx() ctx: Context,
  ): Promise<ConversationRow[]> {
    return ctx.loaders.conversationPageByTask.load({ parentId: task.id, limit: pageSize(first), descending: true });
  }
}

@Resolver(() => User)
export class UserConversationsResolver {
  @FieldResolver(() => ConversationConnection, { description: 'The same list as Query.conversations.' })
  conversations(
    @Args(() => ConversationListArgs, { validate: false }) args: ConversationListArgs,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
  ) {
    return loadConversationConnection(ctx, args, connectionSelection(info));
  }
}

export const conversationResolvers = [ConversationResolver, MessageResolver, TaskConversationsResolver, UserConversationsResolver] as const;
