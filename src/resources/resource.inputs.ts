import { IsInt, IsOptional, IsUrl, Length, Max, Min } from 'class-validator';
import { Field, Float, Int, InputType } from 'type-graphql';
import { ResourceKind } from './resource.type.js';

@InputType()
export class AddResourceInput {
  @Field(() => ResourceKind)
  kind!: ResourceKind;

  @Field(() => String)
  @Length(1, 2_048)
  @IsUrl({ require_tld: false, protocols: ['http', 'https', 's3', 'gs'], require_protocol: true })
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
