import type { FastifyBaseLogger } from 'fastify';
import { unauthenticated } from './auth/tokens.js';
import type { Viewer } from './auth/viewer.js';
import type { Db } from './db/database.js';
import { createLoaders, type Loaders } from './loaders.js';

/**
 * What every resolver receives. Built once per request: the viewer is known
 * before execution starts, the loaders are made on first use (an anonymous
 * introspection request never builds them).
 */
export class Context {
  private builtLoaders: Loaders | undefined;
  /** Set once Apollo has resolved the operation; for the request log. */
  operationName: string | undefined;

  constructor(
    readonly requestId: string,
    private readonly authenticatedViewer: Viewer | null,
    readonly db: Db,
    readonly log: FastifyBaseLogger,
  ) {}

  /** The signed-in user; every data field needs one. */
  get viewer(): Viewer {
    if (!this.authenticatedViewer) throw unauthenticated('Sign in: send "Authorization: Bearer <token>"');
    return this.authenticatedViewer;
  }

  get loaders(): Loaders {
    this.builtLoaders ??= createLoaders(this.db, this.viewer.id);
    return this.builtLoaders;
  }
}
