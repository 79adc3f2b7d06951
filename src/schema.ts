import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import { buildSchema } from 'type-graphql';
import { scopeAuthChecker } from './auth/scopes.js';
import { conversationResolvers } from './conversations/conversation.resolver.js';
import { parseIdArguments } from './ids.js';
import { resourceResolvers } from './resources/resource.resolver.js';
import { scriptResolvers } from './scripts/script.resolver.js';
import { storyboardResolvers } from './storyboards/storyboard.resolver.js';
import { noTopicPubSub, subscriptionResolvers } from './subscriptions/subscription.resolver.js';
import { taskResolvers } from './tasks/task.resolver.js';
import { UserResolver } from './users/user.resolver.js';

/** The one list of resolvers: a feature's resolvers are registered here and nowhere else. */
const RESOLVERS = [
  UserResolver,
  ...taskResolvers,
  ...scriptResolvers,
  ...storyboardResolvers,
  ...resourceResolvers,
  ...conversationResolvers,
  ...subscriptionResolvers,
] as const;

/** Builds the executable schema from the decorated classes (code first); ids are parsed where they enter (src/ids.ts). */
export function createSchema(): Promise<GraphQLSchema> {
  const built = buildSchema({
    resolvers: RESOLVERS,
    // class-validator checks every input; batch arguments opt out and are checked per item.
    validate: { forbidUnknownValues: false },
    // @RequireScope on a mutation (src/auth/scopes.ts): FORBIDDEN before its arguments are even validated.
    authChecker: scopeAuthChecker,
    pubSub: noTopicPubSub,
  });
  return built.then(parseIdArguments);
}

/** The SDL committed as schema.graphql: sorted, so that a diff shows only real changes. */
export function printSchemaSdl(schema: GraphQLSchema): string {
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}
