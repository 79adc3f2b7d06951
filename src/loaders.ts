import type { RequestCache } from './cache/request-cache.js';
import type { Db } from './db/database.js';
import type { ResponseBudget } from './limits/response-budget.js';
import { createConversationLoaders } from './conversations/conversation.loaders.js';
import { createResourceLoaders } from './resources/resource.loaders.js';
import { createScriptLoaders } from './scripts/script.loaders.js';
import { createStoryboardLoaders } from './storyboards/storyboard.loaders.js';
import { createTaskLoaders } from './tasks/task.loaders.js';
import { createUserLoaders } from './users/user.loaders.js';

/** What every feature's loaders are built from: one request's database, viewer, cache and budget. */
interface LoaderDeps {
  readonly db: Db;
  readonly viewerId: string;
  readonly cache: RequestCache;
  readonly budget: ResponseBudget;
}

/**
 * Every feature's loader factory. Each lives with the table it reads, and
 * reads through the request's cache (one MGET per batch, misses from SQL).
 */
const FEATURES = {
  users: (d: LoaderDeps) => createUserLoaders(d.db, d.viewerId, d.cache),
  tasks: (d: LoaderDeps) => createTaskLoaders(d.db, d.viewerId, d.cache),
  scripts: (d: LoaderDeps) => createScriptLoaders(d.db, d.viewerId, d.cache, d.budget),
  storyboards: (d: LoaderDeps) => createStoryboardLoaders(d.db, d.viewerId, d.cache),
  resources: (d: LoaderDeps) => createResourceLoaders(d.db, d.viewerId, d.cache),
  conversations: (d: LoaderDeps) => createConversationLoaders(d.db, d.viewerId, d.cache),
};
type Feature = keyof typeof FEATURES;
type LoadersOf<F extends Feature> = ReturnType<(typeof FEATURES)[F]>;

export type Loaders = LoadersOf<'users'> &
  LoadersOf<'tasks'> &
  LoadersOf<'scripts'> &
  LoadersOf<'storyboards'> &
  LoadersOf<'resources'> &
  LoadersOf<'conversations'>;

/**
 * One request's loaders, a feature's set built the first time one of its
 * loaders is used: reading a task by id builds three DataLoaders, not sixteen.
 * Built per request so that a batch never spans two requests (or two viewers).
 */
class RequestLoaders {
  private readonly built: { [F in Feature]?: LoadersOf<F> } = {};

  constructor(private readonly deps: LoaderDeps) {}

  feature<F extends Feature>(feature: F): LoadersOf<F> {
    return (this.built[feature] ??= FEATURES[feature](this.deps) as never) as LoadersOf<F>;
  }
}

// A getter per loader name, on the prototype. The names are read once from a
// set built with no dependencies: the factories only close over theirs.
for (const feature of Object.keys(FEATURES) as Feature[]) {
  for (const name of Object.keys(FEATURES[feature]({} as LoaderDeps))) {
    Object.defineProperty(RequestLoaders.prototype, name, {
      get(this: RequestLoaders) {
        return (this.feature(feature) as Record<string, unknown>)[name];
      },
    });
  }
}

export function createLoaders(db: Db, viewerId: string, cache: RequestCache, budget: ResponseBudget): Loaders {
  return new RequestLoaders({ db, viewerId, cache, budget }) as unknown as Loaders;
}
