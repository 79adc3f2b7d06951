import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { ConnectionType } from '../connection.type.js';
import { DateTime } from '../graphql-scalars.js';

@ObjectType({ description: 'One cut of a task: what it shows, the prompt it is rendered from, and its media.', simpleResolvers: true })
export class Storyboard {
  @Field(() => ID)
  id!: string;

  @Field(() => Int, { description: 'Position in the video, from 0.' })
  sequenceNumber!: number;

  @Field(() => String)
  description!: string;

  @Field(() => String)
  prompt!: string;

  @Field(() => Float, { description: 'Seconds.' })
  durationSeconds!: number;

  @Field(() => DateTime)
  createdAt!: Date;
}

@ObjectType()
export class StoryboardConnection extends ConnectionType(Storyboard, 'Storyboard') {}
