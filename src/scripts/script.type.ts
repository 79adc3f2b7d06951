import { Field, ID, Int, ObjectType } from 'type-graphql';
import { DateTime } from '../graphql-scalars.js';

@ObjectType({ description: "A version of a task's script; a task keeps every version.", simpleResolvers: true })
export class Script {
  @Field(() => ID)
  id!: string;

  @Field(() => Int, { description: 'Counts from 1 within the task.' })
  version!: number;

  @Field(() => String)
  title!: string;

  @Field(() => DateTime)
  createdAt!: Date;
}
