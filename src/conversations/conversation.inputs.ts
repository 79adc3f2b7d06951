import { IsOptional, IsUUID, Length } from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';
import { MessageRole } from './conversation.type.js';

export const MESSAGE_MAX_LENGTH = 100_000;

@InputType()
export class CreateConversationInput {
  @Field(() => String)
  @Length(1, 500)
  title!: string;

  @Field(() => ID, { nullable: true, description: 'The task the conversation is about, if any.' })
  @IsOptional()
  @IsUUID()
  taskId?: string;
}

@InputType()
export class PostMessageInput {
  @Field(() => ID)
  @IsUUID()
  conversationId!: string;

  @Field(() => MessageRole)
  role!: MessageRole;

  @Field(() => String)
  @Length(1, MESSAGE_MAX_LENGTH)
  content!: string;
}
