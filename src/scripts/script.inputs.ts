import { Length } from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';

/** A script for a 10-minute video is ~10 KB of text: ten times that leaves room for any real one. */
export const SCRIPT_CONTENT_MAX_LENGTH = 100_000;

@InputType()
export class AddScriptInput {
  @Field(() => ID)
  taskId!: string;

  @Field(() => String)
  @Length(1, 500)
  title!: string;

  @Field(() => String, { description: `1 to ${SCRIPT_CONTENT_MAX_LENGTH.toLocaleString('en')} characters.` })
  @Length(1, SCRIPT_CONTENT_MAX_LENGTH)
  content!: string;
}
