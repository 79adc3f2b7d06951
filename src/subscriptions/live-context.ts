import type { Viewer } from '../auth/viewer.js';
import type { Cache } from '../cache/cache.js';
import type { Config } from '../config.js';
import { Context } from '../context.js';
import type { Db } from '../db/database.js';
import type { FastifyBaseLogger } from 'fastify';
import type { LiveHub, LiveSession } from './live-hub.js';

/**
 * The context of a subscription operation: the request context every resolver
 * knows (viewer, loaders over the viewer-scoped cache), plus the socket it
 * runs on and the hub its stream comes from.
 */
export class LiveContext extends Context {
  constructor(
    operationId: string,
    viewer: Viewer,
    db: Db,
    log: FastifyBaseLogger,
    private readonly liveCache: Cache,
    private readonly liveConfig: Config,
    readonly hub: LiveHub,
    readonly session: LiveSession,
  ) {
    super(operationId, viewer, db, log, liveCache, liveConfig.resourceUrls, liveConfig.idempotencyKeyTtlSeconds);
  }

  /**
   * The context one event executes in (./shared-execution.ts): the same
   * viewer, with loaders and request cache of its own, so that nested fields
   * read the rows as they are now and nothing piles up over a subscription's life.
   */
  forEvent(): LiveContext {
    return new LiveContext(this.requestId, this.viewer, this.db, this.log, this.liveCache, this.liveConfig, this.hub, this.session);
  }
}
