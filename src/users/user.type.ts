import { Field, ID, ObjectType } from 'type-graphql';
import { DateTime, JSONObject } from '../graphql-scalars.js';

@ObjectType({ description: 'The signed-in user.', simpleResolvers: true })
export class User {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  email!: string;

  @Field(() => String)
  displayName!: string;

  @Field(() => JSONObject, { description: "The user's agent settings." })
  config!: Record<string, unknown>;

  @Field(() => DateTime)
  createdAt!: Date;
}
