import { IsOptional, IsUUID, Length, Max, Min } from 'class-validator';
import { Field, Float, ID, InputType, Int } from 'type-graphql';

@InputType()
export class AddStoryboardInput {
  @Field(() => Int)
  @Min(0)
  @Max(100_000)
  sequenceNumber!: number;

  @Field(() => String)
  @Length(1, 10_000)
  description!: string;

  @Field(() => String)
  @Length(1, 10_000)
  prompt!: string;

  @Field(() => Float, { description: 'Seconds, more than 0.' })
  @Min(0.001)
  @Max(3_600)
  durationSeconds!: number;
}

@InputType({ description: 'Omitted media stay as they are; null removes them.' })
export class SetStoryboardMediaInput {
  @Field(() => ID)
  @IsUUID()
  storyboardId!: string;

  @Field(() => ID, { nullable: true, description: 'An IMAGE resource of the same task.' })
  @IsOptional()
  @IsUUID()
  firstFrameImageId?: string | null;

  @Field(() => ID, { nullable: true, description: 'A VIDEO resource of the same task.' })
  @IsOptional()
  @IsUUID()
  videoId?: string | null;
}
