import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { ConnectionType } from '../connection.type.js';
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

  @Field(() => DateTime)
  createdAt!: Date;
}

@ObjectType()
export class ConversationConnection extends ConnectionType(Conversation, 'Conversation') {}

@ObjectType()
export class MessageConnection extends ConnectionType(Message, 'Message') {}
