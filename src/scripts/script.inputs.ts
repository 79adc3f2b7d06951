import { IsUUID, Length } from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';

/** A script is a long text, but a bounded one: 1 MB of text is far beyond a video's script. */
export const SCRIPT_CONTENT_MAX_LENGTH = 1_000_000;

@InputType()
export class AddScriptInput {
  @Field(() => ID)
  @IsUUID()
  taskId!: string;

  @Field(() => String)
  @Length(1, 500)
  title!: string;

  @Field(() => String)
  @Length(1, SCRIPT_CONTENT_MAX_LENGTH)
  content!: string;
}
