import { Args, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import { unauthenticated } from '../auth/tokens.js';
import type { Context } from '../context.js';
import { loadTaskConnection } from '../tasks/task.connection.js';
import { TaskListArgs } from '../tasks/task.inputs.js';
import { TaskConnection } from '../tasks/task.type.js';
import type { UserRow } from './user.table.js';
import { User } from './user.type.js';

@Resolver(() => User)
export class UserResolver {
  @Query(() => User, { description: 'The signed-in user: the root of everything they own.' })
  async viewer(@Ctx() ctx: Context): Promise<UserRow> {
    const user = await ctx.loaders.userById.load(ctx.viewer.id);
    if (!user) throw unauthenticated('The token names no user');
    return user;
  }

  @FieldResolver(() => TaskConnection, { description: 'The same list as Query.tasks.' })
  tasks(@Root() _user: UserRow, @Args(() => TaskListArgs, { validate: false }) args: TaskListArgs, @Ctx() ctx: Context) {
    return loadTaskConnection(ctx, args);
  }
}
