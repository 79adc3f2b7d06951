import { Length, Max, Min } from 'class-validator';
import { Field, Float, ID, InputType, Int } from 'type-graphql';

/** An image or video prompt is a few hundred characters; 4,000 is DALL-E 3's own limit. */
export const STORYBOARD_TEXT_MAX_LENGTH = 4_000;

@InputType()
export class AddStoryboardInput {
  @Field(() => Int)
  @Min(0)
  @Max(100_000)
  sequenceNumber!: number;

  @Field(() => String, { description: `1 to ${STORYBOARD_TEXT_MAX_LENGTH.toLocaleString('en')} characters.` })
  @Length(1, STORYBOARD_TEXT_MAX_LENGTH)
  description!: string;

  @Field(() => String, { description: `1 to ${STORYBOARD_TEXT_MAX_LENGTH.toLocaleString('en')} characters.` })
  @Length(1, STORYBOARD_TEXT_MAX_LENGTH)
  prompt!: string;

  @Field(() => Float, { description: 'Seconds, more than 0.' })
  @Min(0.001)
  @Max(3_600)
  durationSeconds!: number;
}

@InputType({ description: 'Omitted media stay as they are; null removes them.' })
export class SetStoryboardMediaInput {
  @Field(() => ID)
  storyboardId!: string;

  @Field(() => ID, { nullable: true, description: 'An IMAGE resource of the same task.' })
  firstFrameImageId?: string | null;

  @Field(() => ID, { nullable: true, description: 'A VIDEO resource of the same task.' })
  videoId?: string | null;
}
