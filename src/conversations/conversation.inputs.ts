import { Length } from 'class-validator';
import { Field, ID, InputType, registerEnumType } from 'type-graphql';
import { MessageRole } from './conversation.table.js';

/** A user's message or a model's answer: 32,000 characters is about 8,000 tokens, more than one answer holds. */
export const MESSAGE_MAX_LENGTH = 32_000;

@InputType()
export class CreateConversationInput {
  @Field(() => String)
  @Length(1, 500)
  title!: string;

  @Field(() => ID, { nullable: true, description: 'The task the conversation is about, if any.' })
  taskId?: string;
}

@InputType()
export class PostMessageInput {
  @Field(() => ID)
  conversationId!: string;

  @Field(() => MessageRole)
  role!: MessageRole;

  @Field(() => String, { description: `1 to ${MESSAGE_MAX_LENGTH.toLocaleString('en')} characters.` })
  @Length(1, MESSAGE_MAX_LENGTH)
  content!: string;
}

/** The orders of a user's conversations: an inbox's by default. */
export enum ConversationOrder {
  UPDATED_AT_DESC = 'updated_at_desc',
  CREATED_AT_DESC = 'created_at_desc',
}
registerEnumType(ConversationOrder, {
  name: 'ConversationOrder',
  description: 'Newest activity first by default (the last message posted, else the creation).',
  valuesConfig: {
    UPDATED_AT_DESC: { description: 'The conversation with the newest message first; posting a message moves it to the top.' },
    CREATED_AT_DESC: { description: 'The newest conversation first, by when it was started.' },
  },
});
