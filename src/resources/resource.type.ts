import { Field, Float, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { DateTime } from '../graphql-scalars.js';
import { ResourceKind } from './resource.table.js';

registerEnumType(ResourceKind, { name: 'ResourceKind' });

@ObjectType({ description: 'A file the agent rendered for a task: an image, a video or audio.', simpleResolvers: true })
export class Resource {
  @Field(() => ID)
  id!: string;

  @Field(() => ResourceKind)
  kind!: ResourceKind;

  @Field(() => String)
  url!: string;

  @Field(() => String)
  mimeType!: string;

  @Field(() => Float, { nullable: true, description: 'Bytes (a Float: files can pass 2^31 bytes).' })
  sizeBytes!: number | null;

  @Field(() => Int, { nullable: true, description: 'Pixels.' })
  width!: number | null;

  @Field(() => Int, { nullable: true, description: 'Pixels.' })
  height!: number | null;

  @Field(() => Float, { nullable: true, description: 'Seconds, for video and audio.' })
  durationSeconds!: number | null;

  @Field(() => DateTime)
  createdAt!: Date;
}
