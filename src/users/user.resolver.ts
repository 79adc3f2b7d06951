import { Ctx, Query, Resolver } from 'type-graphql';
import { unauthenticated } from '../auth/tokens.js';
import type { Context } from '../context.js';
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
}
