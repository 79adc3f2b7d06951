import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { ConnectionType } from '../connection.type.js';
import type { TimestampText } from '../db/timestamps.js';
import { DateTime } from '../graphql-scalars.js';
import { MessageRole } from './conversation.table.js';

registerEnumType(MessageRole, { name: 'MessageRole' });

@ObjectType({ description: 'A conversation between the user and the agent, about a task or not.', simpleResolvers: true })
export class Conversation {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  title!: string;

  @Field(() => DateTime)
  createdAt!: Date;

  @Field(() => DateTime, { description: 'When the last message was posted.' })
  updatedAt!: Date;
}

@ObjectType({ simpleResolvers: true })
export class Message {
  @Field(() => ID)
  id!: string;

  @Field(() => MessageRole)
  role!: MessageRole;

  @Field(() => String)
  content!: string;

  // A Date from a write or a feed, PostgreSQL's text from a page of messages.
  @Field(() => DateTime)
  createdAt!: Date | TimestampText;
}

@ObjectType()
export class ConversationConnection extends ConnectionType(Conversation, 'Conversation') {}

@ObjectType()
export class MessageConnection extends ConnectionType(Message, 'Message') {}
