import { IsInt, IsOptional, Length, Max, Min } from 'class-validator';
import { Field, Float, Int, InputType } from 'type-graphql';
import { URL_MAX_LENGTH } from '../url-policy.js';
import { ResourceKind } from './resource.table.js';

@InputType()
export class AddResourceInput {
  @Field(() => ResourceKind)
  kind!: ResourceKind;

  @Field(() => String, {
    description: `https: to a public host, at most ${URL_MAX_LENGTH} characters; other schemes only towards the object stores the server allows.`,
  })
  url!: string;

  @Field(() => String)
  @Length(3, 255)
  mimeType!: string;

  @Field(() => Float, { nullable: true, description: 'Bytes.' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(Number.MAX_SAFE_INTEGER)
  sizeBytes?: number;

  @Field(() => Int, { nullable: true })
  @IsOptional()
  @Min(1)
  width?: number;

  @Field(() => Int, { nullable: true })
  @IsOptional()
  @Min(1)
  height?: number;

  @Field(() => Float, { nullable: true, description: 'Seconds.' })
  @IsOptional()
  @Min(0)
  durationSeconds?: number;
}
